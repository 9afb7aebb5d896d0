namespace Microsoft.ML.Kto.Prediction;

/// <summary>
/// Maps a property of a prediction input or output class to a column by name (ML.NET's <c>ColumnName</c> role).
/// Without it a property matches the column whose name equals the property's, ignoring case and underscores
/// (<c>GeneratedCompletion</c> matches <c>generated_completion</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KtoColumnAttribute(string name) : Attribute
{
    /// <summary>The column name.</summary>
    public string Name { get; } = name;
}
