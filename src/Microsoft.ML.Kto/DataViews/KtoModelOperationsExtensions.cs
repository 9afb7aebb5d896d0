using System.IO.Compression;
using Microsoft.ML.Data;
using Microsoft.ML.Kto.DataViews;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.Kto;

/// <summary>
/// Saving and loading ML.NET models that contain <see cref="KtoTransformer"/>s: <c>mlContext.Model.SaveWithKto</c> and
/// <c>mlContext.Model.LoadWithKto</c>. The zip is ML.NET's own (the KTO transformers appear as placeholders) plus one
/// folder per KTO model in Hugging Face layout, so chains with ML.NET transforms before and after round-trip.
/// </summary>
public static class KtoModelOperationsExtensions
{
    /// <summary>
    /// Saves <paramref name="model"/> (a chain or a single transformer) with the weights of every KTO transformer in it.
    /// The zip is written under a temporary name and renamed, so <paramref name="path"/> never holds half a model.
    /// </summary>
    public static void SaveWithKto(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        var temporary = $"{path}.tmp-{Environment.ProcessId}";
        try
        {
            catalog.Save(model, inputSchema, temporary);
            using (var zip = ZipFile.Open(temporary, ZipArchiveMode.Update))
            {
                var index = 0;
                foreach (var kto in Flatten(model).OfType<KtoTransformer>())
                {
                    var directory = Directory.CreateTempSubdirectory("kto-save-").FullName;
                    try
                    {
                        kto.Save(directory);
                        foreach (var file in Directory.GetFiles(directory))
                        {
                            zip.CreateEntryFromFile(file, $"{KtoModelZip.EntryPrefix}{index}/{Path.GetFileName(file)}", CompressionLevel.NoCompression);
                        }
                    }
                    finally
                    {
                        Directory.Delete(directory, recursive: true);
                    }
                    index++;
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>
    /// Loads a model saved by <see cref="SaveWithKto"/>: ML.NET's transforms as ML.NET loads them, each KTO placeholder
    /// replaced by the <see cref="KtoTransformer"/> whose weights the zip holds.
    /// </summary>
    public static ITransformer LoadWithKto(this ModelOperationsCatalog catalog, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        // The placeholder's factory must be known to the environment that loads the zip; ML.NET gives no public way to
        // reach the catalog's own environment, so a private context loads it.
        var loader = new MLContext();
        loader.ComponentCatalog.RegisterAssembly(typeof(KtoPlaceholderFactory).Assembly);
        ITransformer loaded;
        using (KtoPlaceholderFactory.Restoring())
        {
            loaded = loader.Model.Load(path, out inputSchema);
        }

        var index = 0;
        ITransformer Restore(ITransformer transformer)
        {
            if (transformer is not CustomMappingTransformer<KtoPlaceholderInput, KtoPlaceholderOutput>)
            {
                return transformer;
            }

            var directory = Extract(path, index++);
            return KtoTransformer.LoadOwningDirectory(directory);
        }
        return loaded is TransformerChain<ITransformer> chain
            ? new TransformerChain<ITransformer>(chain.Select(Restore).ToArray())
            : Restore(loaded);
    }

    private static string Extract(string path, int index)
    {
        var prefix = $"{KtoModelZip.EntryPrefix}{index}/";
        using var zip = ZipFile.OpenRead(path);
        var entries = zip.Entries.Where(e => e.FullName.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (entries.Count == 0)
        {
            throw new InvalidDataException(
                $"'{path}' holds a KtoTransformer but not its weights (no '{prefix}' entries): it was saved with ml.Model.Save. Save the model with mlContext.Model.SaveWithKto.");
        }

        var directory = Directory.CreateTempSubdirectory("kto-model-").FullName;
        foreach (var entry in entries)
        {
            entry.ExtractToFile(Path.Combine(directory, Path.GetFileName(entry.FullName)));
        }

        return directory;
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [model];
}
