using Microsoft.ML.Kto.Torch.Native;

namespace Microsoft.ML.Kto.Torch.Optim;

/// <summary>
/// PyTorch's AdamW (decoupled weight decay). One native call updates every parameter. The moment
/// estimates are ordinary tensors, so the state saves and loads as named tensors.
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly Tensor[] _parameters;
    private readonly Tensor[] _expAvg;
    private readonly Tensor[] _expAvgSq;

    /// <summary>Creates the optimizer over leaf tensors that require gradients.</summary>
    public AdamW(IReadOnlyList<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0.01)
    {
        if (learningRate < 0) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be >= 0.");
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must lie in [0, 1).");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must lie in [0, 1).");
        _parameters = parameters.ToArray();
        _expAvg = _parameters.Select(ZerosLike).ToArray();
        _expAvgSq = _parameters.Select(ZerosLike).ToArray();
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
    }

    private static Tensor ZerosLike(Tensor p) => Tensor.Zeros(p.Shape, p.DType, p.Device).DetachFromDisposeScope();

    /// <summary>Current learning rate (a scheduler sets it before each step).</summary>
    public double LearningRate { get; set; }
    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; }
    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; }
    /// <summary>Added to the denominator for stability.</summary>
    public double Eps { get; }
    /// <summary>Decoupled weight decay coefficient.</summary>
    public double WeightDecay { get; }
    /// <summary>Number of steps taken.</summary>
    public long StepCount { get; private set; }

    /// <summary>The optimised parameters.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>Applies one update from the parameters' accumulated gradients.</summary>
    public unsafe void Step()
    {
        StepCount++;
        var p = Tensor.Handles(_parameters);
        var m = Tensor.Handles(_expAvg);
        var v = Tensor.Handles(_expAvgSq);
        fixed (nint* pp = p, pm = m, pv = v)
            NativeError.CheckStatus(NativeMethods.kt_adamw_step(pp, pm, pv, p.Length, LearningRate, Beta1, Beta2, Eps, WeightDecay, StepCount));
        GC.KeepAlive(this);
    }

    /// <summary>Clears the parameters' gradients.</summary>
    public void ZeroGrad() => Tensor.ZeroGrad(_parameters);

    /// <summary>The moment estimates by name (<c>exp_avg.{i}</c>, <c>exp_avg_sq.{i}</c>); still owned by the optimizer.</summary>
    public IReadOnlyDictionary<string, Tensor> StateTensors()
    {
        var state = new Dictionary<string, Tensor>();
        for (var i = 0; i < _parameters.Length; i++)
        {
            state[$"exp_avg.{i}"] = _expAvg[i];
            state[$"exp_avg_sq.{i}"] = _expAvgSq[i];
        }
        return state;
    }

    /// <summary>Restores state saved from <see cref="StateTensors"/> and <see cref="StepCount"/>.</summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> state, long stepCount)
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            _expAvg[i].CopyFrom(Required(state, $"exp_avg.{i}"));
            _expAvgSq[i].CopyFrom(Required(state, $"exp_avg_sq.{i}"));
        }
        StepCount = stepCount;
    }

    private static Tensor Required(IReadOnlyDictionary<string, Tensor> state, string name) =>
        state.TryGetValue(name, out var t) ? t
            : throw new InvalidDataException($"The optimizer state has no tensor '{name}'; it was saved for a different model.");

    /// <summary>Frees the moment estimates.</summary>
    public void Dispose()
    {
        foreach (var t in _expAvg) t.Dispose();
        foreach (var t in _expAvgSq) t.Dispose();
    }
}
