using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Generation;

/// <summary>Divides the scores by a temperature: below 1 sharpens the distribution, above 1 flattens it (<c>TemperatureLogitsWarper</c>).</summary>
public sealed class TemperatureLogitsWarper : ILogitsProcessor
{
    private readonly double _temperature;

    /// <summary>Creates the warper; <paramref name="temperature"/> must be strictly positive.</summary>
    public TemperatureLogitsWarper(double temperature)
    {
        if (!(temperature > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be strictly positive.");
        }

        _temperature = temperature;
    }

    /// <inheritdoc/>
    public Tensor Process(Tensor scores) => scores / _temperature;
}
