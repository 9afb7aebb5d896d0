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
/// <c>--per-device-train-batch-size</c>), one <c>--…-column</c> flag per <see cref="KtoColumnNames"/> name, <c>--lora</c> and
/// one <c>--lora-…</c> flag per <see cref="LoraOptions"/> setting, defaults from a fresh options object, descriptions from
/// the options' XML documentation. A nullable number takes 0 for "unset"; a list is comma-separated.
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
        foreach (var property in Settable(typeof(KtoOptions)))
        {
            if (property.PropertyType == typeof(KtoColumnNames))
            {
                foreach (var column in Settable(typeof(KtoColumnNames)))
                {
                    flags.Add<string>($"--{Kebab(column.Name)}-column", $"Input column: {docs.Of(column)}", (string)column.GetValue(defaults.ColumnNames)!,
                        (options, value) => options.ColumnNames = CopyWith(options.ColumnNames, column, value));
                }

                continue;
            }
            if (property.PropertyType == typeof(LoraOptions))
            {
                flags.AddLora(property, docs);
                continue;
            }
            flags.AddProperty(property, "--" + Kebab(property.Name), docs.Of(property), property.GetValue(defaults), options => options);
        }
        return flags;
    }

    // One flag for a property of the options object that owner() picks (skipped while it is null).
    private void AddProperty(PropertyInfo property, string name, string description, object? current, Func<KtoOptions, object?> owner)
    {
        void Set(KtoOptions options, object? value)
        {
            if (owner(options) is { } target)
            {
                property.SetValue(target, value);
            }
        }
        switch (property.PropertyType)
        {
            case var t when t == typeof(KtoLossType):
                Add<string>(name, description, ((KtoLossType)current!).ToTrlName(), (o, v) => Set(o, KtoLossTypeNames.Parse(v)));
                break;
            case var t when t == typeof(int?):
                Add<int>(name, description + " (0: unset)", (int?)current ?? 0, (o, v) => Set(o, v == 0 ? null : v));
                break;
            case var t when t == typeof(double?):
                Add<double>(name, description + " (0: unset)", (double?)current ?? 0, (o, v) => Set(o, v == 0 ? null : v));
                break;
            case var t when t == typeof(string[]):
                Add<string>(name, description + " (comma-separated)", string.Join(",", (string[])current!),
                    (o, v) => Set(o, v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
                break;
            case var t when t == typeof(int): Add<int>(name, description, (int)current!, (o, v) => Set(o, v)); break;
            case var t when t == typeof(double): Add<double>(name, description, (double)current!, (o, v) => Set(o, v)); break;
            case var t when t == typeof(bool): Add<bool>(name, description, (bool)current!, (o, v) => Set(o, v)); break;
            case var t when t == typeof(string): Add<string?>(name, description, (string?)current, (o, v) => Set(o, v)); break;
            default:
                throw new InvalidOperationException($"{property.DeclaringType!.Name}.{property.Name} has type {property.PropertyType.Name}, which kto train has no flag for; teach KtoOptionFlags the type.");
        }
    }

    // --lora switches LoRA on (KtoOptions.Lora, null by default); one flag per LoraOptions property, named with PEFT's
    // lora_ prefix where the name lacks it (--lora-r, --lora-alpha, --lora-target-modules, --use-rslora), also switches it
    // on when given.
    private void AddLora(PropertyInfo property, OptionDocs docs)
    {
        var settings = new List<Option>();
        var enable = new Option<bool>("--" + Kebab(property.Name)) { Description = docs.Of(property) };
        // Applied before the settings' flags, which fill in the options object it creates.
        _flags.Add((enable, (result, options) =>
            options.Lora = result.GetValue(enable) || settings.Any(s => result.GetResult(s) is { Implicit: false }) ? new LoraOptions() : null));
        var defaults = new LoraOptions();
        foreach (var setting in Settable(typeof(LoraOptions)))
        {
            var kebab = Kebab(setting.Name);
            AddProperty(setting, "--" + (kebab.Contains("lora") ? kebab : "lora-" + kebab), "LoRA: " + docs.Of(setting), setting.GetValue(defaults), options => options.Lora);
            settings.Add(_flags[^1].Flag);
        }
    }

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

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
