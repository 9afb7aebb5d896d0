// Trains a two-layer network on a task a linear model cannot fit (the sign of x0*x1), through the
// libtorch binding alone: seeded data, AdamW, gradient clipping, a dispose scope per step.
using Microsoft.ML.Kto.Torch;
using Microsoft.ML.Kto.Torch.Optim;

TorchRuntime.NumThreads = Environment.ProcessorCount;
using var generator = new Generator(2026);
var x = Tensor.Uniform([1024, 2], -1, 1, generator);
var y = (x.Select(1, 0) * x.Select(1, 1)).Gt(0).To(DType.Int64);

Tensor[] parameters =
[
    Tensor.Normal([64, 2], 0, 0.5, generator), Tensor.Zeros([64]),
    Tensor.Normal([2, 64], 0, 0.5, generator), Tensor.Zeros([2]),
];
foreach (var p in parameters) p.RequiresGrad = true;
using var optimizer = new AdamW(parameters, learningRate: 0.01, weightDecay: 0);

Tensor Forward(Tensor input) => input.Linear(parameters[0], parameters[1]).Tanh().Linear(parameters[2], parameters[3]);

var liveAtStart = Tensor.LiveCount;
for (var step = 1; step <= 300; step++)
{
    using var scope = DisposeScope.Open();
    var loss = Forward(x).CrossEntropy(y);
    loss.Backward();
    var gradNorm = GradientClipping.ClipGradNorm(parameters, 1.0);
    optimizer.Step();
    optimizer.ZeroGrad();
    if (step == 1 || step % 50 == 0)
    {
        using var accuracyScope = DisposeScope.Open();
        var accuracy = Forward(x).ArgMax(1).Eq(y).To(DType.Float32).Mean().Item<float>();
        Console.WriteLine($"step {step,3}  loss {loss.Item<float>():F4}  accuracy {accuracy:P1}  grad_norm {gradNorm:F3}");
    }
}
Console.WriteLine($"live tensors: {liveAtStart} before training, {Tensor.LiveCount} after (no leaks)");
Console.WriteLine($"libtorch {TorchRuntime.LibTorchVersion}, {TorchRuntime.NumThreads} threads");
