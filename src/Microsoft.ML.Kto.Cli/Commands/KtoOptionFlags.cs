using System.CommandLine;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Training;

namespace Microsoft.ML.Kto.Cli.Commands;

/// <summary>
/// The <c>kto train</c> flags, generated from <see cref="KtoOptions"/> so that every option has one and the CLI cannot
/// drift from the library: one flag per settable property in kebab case (<c>PerDeviceTrainBatchSize</c> →
/// <c>--per-device-train-batch-size</c>), one <c>--…-column</c> flag per <see cref="KtoColumnNames"/> name, defaults from
/// a fresh options object, descriptions from the options' XML documentation. A nullable number takes 0 for "unset".
/// </summary>
internal sealed partial class KtoOptionFlags
{
    private readonly List<(Option Flag, Action<ParseResult, KtoOptions> Apply)> _flags = [];

    private KtoOptionFlags() { }

    /// <summary>The generated flags.</summary>
    public IEnumerable<Option> Flags => _flags.Select(f => f.Flag);

    /// <summary>The <c>--output-dir</c> flag (required by <c>kto train</c>).</summary>
    public Option OutputDir => _flags.Single(f => f.Flag.Name == "--output-dir").Flag;

    /// <summary>Builds the flags.</summary>
    public static KtoOptionFlags Create()
    {
        var flags = new KtoOptionFlags();
        var docs = OptionDocs.Load();
        var defaults = new KtoOptions();
        foreach (var property in typeof(KtoOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            if (property.PropertyType == typeof(KtoColumnNames))
            {
                foreach (var column in typeof(KtoColumnNames).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                {
                    flags.Add<string>($"--{Kebab(column.Name)}-column", $"Input column: {docs.Of(column)}", (string)column.GetValue(defaults.ColumnNames)!,
                        (options, value) => options.ColumnNames = CopyWith(options.ColumnNames, column, value));
                }

                continue;
            }
            var name = "--" + Kebab(property.Name);
            var description = docs.Of(property);
            var current = property.GetValue(defaults);
            switch (property.PropertyType)
            {
                case var t when t == typeof(KtoLossType):
                    flags.Add<string>(name, description, ((KtoLossType)current!).ToTrlName(), (o, v) => property.SetValue(o, KtoLossTypeNames.Parse(v)));
                    break;
                case var t when t == typeof(int?):
                    flags.Add<int>(name, description + " (0: unset)", (int?)current ?? 0, (o, v) => property.SetValue(o, v == 0 ? null : v));
                    break;
                case var t when t == typeof(double?):
                    flags.Add<double>(name, description + " (0: unset)", (double?)current ?? 0, (o, v) => property.SetValue(o, v == 0 ? null : v));
                    break;
                case var t when t == typeof(int): flags.Add<int>(name, description, (int)current!, (o, v) => property.SetValue(o, v)); break;
                case var t when t == typeof(double): flags.Add<double>(name, description, (double)current!, (o, v) => property.SetValue(o, v)); break;
                case var t when t == typeof(bool): flags.Add<bool>(name, description, (bool)current!, (o, v) => property.SetValue(o, v)); break;
                case var t when t == typeof(string): flags.Add<string?>(name, description, (string?)current, (o, v) => property.SetValue(o, v)); break;
                default:
                    throw new InvalidOperationException($"KtoOptions.{property.Name} has type {property.PropertyType.Name}, which kto train has no flag for; teach KtoOptionFlags the type.");
            }
        }
        return flags;
    }

    /// <summary>Options from the parsed flags.</summary>
    public KtoOptions Read(ParseResult result)
    {
        var options = new KtoOptions();
        foreach (var (_, apply) in _flags)
        {
            apply(result, options);
        }

        return options;
    }

    private void Add<T>(string name, string description, T defaultValue, Action<KtoOptions, T> set)
    {
        var flag = new Option<T>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        _flags.Add((flag, (result, options) => set(options, result.GetValue(flag)!)));
    }

    private static KtoColumnNames CopyWith(KtoColumnNames names, PropertyInfo column, string value)
    {
        var copy = names with { };
        column.SetValue(copy, value);
        return copy;
    }

    private static string Kebab(string pascal) => KebabBoundary().Replace(pascal, "$1-$2").ToLowerInvariant();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex KebabBoundary();

    /// <summary>Summaries from the library's XML documentation file, shipped beside the assembly.</summary>
    private sealed class OptionDocs(XDocument? xml)
    {
        public static OptionDocs Load()
        {
            var path = Path.ChangeExtension(typeof(KtoOptions).Assembly.Location, ".xml");
            return new OptionDocs(File.Exists(path) ? XDocument.Load(path) : null);
        }

        public string Of(PropertyInfo property)
        {
            var id = $"P:{property.DeclaringType!.FullName}.{property.Name}";
            var summary = xml?.Descendants("member").FirstOrDefault(m => (string?)m.Attribute("name") == id)?.Element("summary");
            if (summary is null)
            {
                return "";
            }

            var text = new StringBuilder();
            foreach (var node in summary.DescendantNodes())
            {
                if (node is XText t)
                {
                    text.Append(t.Value);
                }
                else if (node is XElement { Name.LocalName: "see" } see)
                {
                    text.Append(((string?)see.Attribute("cref"))?.Split('.').Last() ?? "");
                }
            }
            return Regex.Replace(text.ToString(), @"\s+", " ").Trim();
        }
    }
}
