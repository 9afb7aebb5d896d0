using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.DataViews;

namespace Microsoft.ML.Kto;

/// <summary>Loads KTO data files into ML.NET's <see cref="IDataView"/> (<c>ml.Data.LoadFromJsonl(...)</c>).</summary>
public static class KtoDataCatalogExtensions
{
    /// <summary>
    /// Reads a JSONL file of KTO rows (TRL's dataset formats: unpaired prompt/completion/label or paired
    /// prompt/chosen/rejected, standard or conversational) into an <see cref="IDataView"/>: text columns as strings
    /// (messages and tools as JSON text), booleans as Boolean, numbers as Double. Every row is checked first as
    /// training would check it, so a bad row is an error naming its line, not a late schema error.
    /// </summary>
    /// <param name="catalog">ML.NET's data catalog (<c>mlContext.Data</c>).</param>
    /// <param name="path">The JSONL file.</param>
    /// <param name="columns">Column names when they differ from TRL's.</param>
    public static IDataView LoadFromJsonl(this DataOperationsCatalog catalog, string path, KtoColumnNames? columns = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var rows = JsonlReader.ReadObjects(path).Select(record => record.Value).ToList();
        KtoDatasetLoader.LoadJsonl(path, columns);
        return new JsonRowsDataView(rows);
    }
}
