namespace Microsoft.ML.Kto.Tests.Data;

/// <summary>A JSONL file written for one test and deleted after it.</summary>
internal sealed class TempJsonlFile : IDisposable
{
    public TempJsonlFile(string content)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"kto-data-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(Path, content);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
