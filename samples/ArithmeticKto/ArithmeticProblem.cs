using System.Globalization;

namespace Microsoft.ML.Kto.Samples.Arithmetic;

/// <summary>A two-digit addition whose units digits carry into the tens, with the one answer a checker accepts.</summary>
public readonly record struct ArithmeticProblem(int A, int B)
{
    /// <summary>What the model is asked: <c>"57+68="</c>.</summary>
    public string Prompt => $"{A}+{B}=";

    /// <summary>The correct sum.</summary>
    public string Answer => (A + B).ToString(CultureInfo.InvariantCulture);

    /// <summary>The classic slip the sloppy teacher makes: the tens are added without the carry (57+68 → 115).</summary>
    public string AnswerWithoutCarry => ((A / 10 + B / 10) * 10 + (A % 10 + B % 10) % 10).ToString(CultureInfo.InvariantCulture);

    /// <summary>The checker: binary feedback, exactly the signal KTO learns from.</summary>
    public bool IsCorrect(string completion) => completion.Trim() == Answer;

    /// <summary>Every pair of two-digit numbers whose units digits sum to 10 or more, shuffled with <paramref name="seed"/>.</summary>
    public static ArithmeticProblem[] AllWithCarry(int seed)
    {
        var problems = (from a in Enumerable.Range(10, 90)
                        from b in Enumerable.Range(10, 90)
                        where a % 10 + b % 10 >= 10
                        select new ArithmeticProblem(a, b)).ToArray();
        new Random(seed).Shuffle(problems);
        return problems;
    }
}
