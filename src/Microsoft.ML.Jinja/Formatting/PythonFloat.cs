using System.Globalization;
using System.Numerics;

namespace Microsoft.ML.Jinja.Formatting;

/// <summary>Python's float <c>repr</c> and <c>round</c>, which differ from .NET's formatting and midpoint handling.</summary>
internal static class PythonFloat
{
    /// <summary>
    /// Shortest round-trip digits (as .NET's "R"), laid out like Python: positional for exponents in
    /// [-4, 16), otherwise scientific with a signed two-digit exponent; integral values keep ".0".
    /// </summary>
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var (negative, digits, exponent) = Decompose(value);
        var sign = negative ? "-" : string.Empty;
        if (exponent is >= -4 and < 16)
        {
            string body;
            if (exponent < 0)
            {
                body = "0." + new string('0', -exponent - 1) + digits;
            }
            else if (digits.Length <= exponent + 1)
            {
                body = digits + new string('0', exponent + 1 - digits.Length) + ".0";
            }
            else
            {
                body = digits[..(exponent + 1)] + "." + digits[(exponent + 1)..];
            }

            return sign + body;
        }

        var mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
        var exponentText = Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        return $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{exponentText}";
    }

    /// <summary>
    /// Python's <c>round(x, ndigits)</c>: rounds the exact binary value half-to-even, so 2.675 rounds to 2.67
    /// because the double is slightly below 2.675.
    /// </summary>
    public static double Round(double value, int digits)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value == 0)
        {
            return value;
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var rawExponent = (int)((bits >> 52) & 0x7FF);
        var fraction = bits & 0xFFFFFFFFFFFFFL;
        BigInteger mantissa = rawExponent == 0 ? fraction : fraction | (1L << 52);
        var binaryExponent = (rawExponent == 0 ? 1 : rawExponent) - 1075;

        // value = mantissa * 2^binaryExponent; compute round(value * 10^digits) exactly as a fraction.
        var numerator = mantissa * (binaryExponent > 0 ? BigInteger.Pow(2, binaryExponent) : 1) * (digits > 0 ? BigInteger.Pow(10, digits) : 1);
        var denominator = (binaryExponent < 0 ? BigInteger.Pow(2, -binaryExponent) : 1) * (digits < 0 ? BigInteger.Pow(10, -digits) : 1);
        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var twice = remainder * 2;
        if (twice > denominator || (twice == denominator && !quotient.IsEven))
        {
            quotient += 1;
        }

        var text = $"{(negative ? "-" : string.Empty)}{quotient}e{-digits}";
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>The shortest round-trip decimal digits of |value| and the decimal exponent of the first digit.</summary>
    private static (bool Negative, string Digits, int Exponent) Decompose(double value)
    {
        var negative = double.IsNegative(value);
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponentMark = shortest.IndexOf('E');
        var scale = exponentMark < 0 ? 0 : int.Parse(shortest[(exponentMark + 1)..], CultureInfo.InvariantCulture);
        var mantissa = exponentMark < 0 ? shortest : shortest[..exponentMark];
        var point = mantissa.IndexOf('.');
        var allDigits = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        var leadingZeros = allDigits.Length - allDigits.TrimStart('0').Length;
        var digits = allDigits.Trim('0');
        if (digits.Length == 0)
        {
            return (negative, "0", 0);
        }

        // mantissa reads as 0.<allDigits> * 10^(point), so the first significant digit sits at this power of ten.
        var exponent = (point < 0 ? mantissa.Length : point) + scale - leadingZeros - 1;
        return (negative, digits, exponent);
    }
}
