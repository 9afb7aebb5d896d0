using System.Reflection;

namespace Microsoft.ML.Kto.Prediction;

/// <summary>Finds the property of a row class that stands for a column, by <see cref="KtoColumnAttribute"/> or by name.</summary>
internal static class ColumnProperty
{
    public static PropertyInfo? Find(Type type, string column)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        return properties.FirstOrDefault(p => p.GetCustomAttribute<KtoColumnAttribute>()?.Name == column)
            ?? properties.FirstOrDefault(p => p.GetCustomAttribute<KtoColumnAttribute>() is null && Normalize(p.Name) == Normalize(column));
    }

    public static string ColumnOf(PropertyInfo property) => property.GetCustomAttribute<KtoColumnAttribute>()?.Name ?? property.Name;

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
