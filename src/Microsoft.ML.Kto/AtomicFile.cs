using System.Text;

namespace Microsoft.ML.Kto;

/// <summary>Whole-file writes that readers never see half-done: a model loader, a browser refreshing a report mid-run, a hub uploader.</summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="text"/> beside <paramref name="path"/> and renames it into place, replacing any old file.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Replace(path, temporary => File.WriteAllText(temporary, text, Utf8NoBom));
    }

    /// <summary>Copies <paramref name="source"/> beside <paramref name="path"/> and renames it into place.</summary>
    public static void Copy(string source, string path) => Replace(path, temporary => File.Copy(source, temporary, overwrite: true));

    private static void Replace(string path, Action<string> writeTemporary)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // The process id keeps two processes writing the same file from sharing one temporary file.
        var temporary = path + ".tmp-" + Environment.ProcessId;
        try
        {
            writeTemporary(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            // Only left behind when the write or the rename failed.
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
