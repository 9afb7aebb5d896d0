using System.Globalization;
using System.Text;

namespace Microsoft.ML.Jinja.Formatting;

/// <summary>Python's <c>datetime.strftime</c> for the C-locale directives chat templates use (e.g. <c>"%d %b %Y"</c>).</summary>
internal static class Strftime
{
    public static string Format(DateTime time, string format)
    {
        var culture = CultureInfo.InvariantCulture;
        var builder = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                builder.Append(format[i]);
                continue;
            }

            var directive = format[++i];
            builder.Append(directive switch
            {
                'a' => time.ToString("ddd", culture),
                'A' => time.ToString("dddd", culture),
                'b' or 'h' => time.ToString("MMM", culture),
                'B' => time.ToString("MMMM", culture),
                'd' => time.ToString("dd", culture),
                'e' => time.Day.ToString(culture).PadLeft(2),
                'm' => time.ToString("MM", culture),
                'y' => time.ToString("yy", culture),
                'Y' => time.Year.ToString(culture),
                'H' => time.ToString("HH", culture),
                'I' => time.ToString("hh", culture),
                'p' => time.Hour < 12 ? "AM" : "PM",
                'M' => time.ToString("mm", culture),
                'S' => time.ToString("ss", culture),
                'f' => (time.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", culture),
                'j' => time.DayOfYear.ToString("000", culture),
                'w' => ((int)time.DayOfWeek).ToString(culture),
                'u' => (time.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)time.DayOfWeek).ToString(culture),
                'F' => time.ToString("yyyy-MM-dd", culture),
                'T' => time.ToString("HH:mm:ss", culture),
                'D' => time.ToString("MM/dd/yy", culture),
                'R' => time.ToString("HH:mm", culture),
                '%' => "%",
                _ => "%" + directive,
            });
        }

        return builder.ToString();
    }
}
