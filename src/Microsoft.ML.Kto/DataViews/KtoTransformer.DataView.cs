using Microsoft.ML.Data;
using Microsoft.ML.Kto.DataViews;
using Microsoft.ML.Kto.Prediction;

namespace Microsoft.ML.Kto;

public sealed partial class KtoTransformer : ITransformer
{
    /// <summary>
    /// Column names, batch size and generation settings of <see cref="Transform(IDataView)"/> and of the row-to-row
    /// mapper behind ML.NET's <c>PredictionEngine</c>.
    /// </summary>
    public KtoTransformOptions TransformOptions { get; set; } = new();

    /// <summary>True: the transformer maps rows one at a time (ML.NET's <c>PredictionEngine</c> uses this).</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the generated completion column (text); validates the prompt column.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        TransformOptions.Validate();
        KtoSchema.ForPrompts(inputSchema, TransformOptions.PromptColumnName);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(TransformOptions.OutputColumnName, TextDataViewType.Instance);
        return builder.ToSchema();
    }

    /// <summary>
    /// Adds the generated completion column to <paramref name="input"/>, lazily: completions are generated in
    /// left-padded batches of <see cref="KtoTransformOptions.BatchSize"/> as a cursor reads them, and only for rows read.
    /// </summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new GeneratedCompletionDataView(this, input, TransformOptions, GetOutputSchema(input.Schema));
    }

    /// <summary>A row-to-row mapper that generates each row's completion when it is read.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        new GeneratedCompletionRowMapper(this, inputSchema, TransformOptions, GetOutputSchema(inputSchema));

    /// <summary>
    /// ML.NET 5.0.1 gives third-party transformers no public way to put their weights into <c>ml.Model.Save</c>'s zip, so
    /// the transformer saves as a placeholder (see <see cref="KtoModelZip"/>): <c>mlContext.Model.SaveWithKto</c> adds the
    /// weights beside it, and a plain <c>ml.Model.Load</c> fails naming <c>LoadWithKto</c> rather than yield a model
    /// without weights.
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        var ml = new MLContext();
        // Only the contract name is saved, not the delegate.
        var placeholder = ml.Transforms.CustomMapping<KtoPlaceholderInput, KtoPlaceholderOutput>((_, _) => { }, KtoModelZip.ContractName)
            .Fit(ml.Data.LoadFromEnumerable(Array.Empty<KtoPlaceholderInput>()));
        ((ICanSaveModel)placeholder).Save(ctx);
    }
}
