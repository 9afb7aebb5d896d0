using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>
/// Gradient checkpointing (PyTorch's <c>torch.utils.checkpoint</c>, which TorchSharp lacks): a block's forward runs
/// without keeping its intermediates, and backward runs the same forward again, with gradients on, to differentiate
/// it. Between the two only the block's inputs stay alive, so a decoder keeps one hidden state per layer instead of
/// every intermediate of every layer, at the price of one more forward pass of the block per backward.
/// </summary>
/// <remarks>
/// <para>The block runs twice and both runs must compute the same function of the same values. The decoders here have
/// no dropout, so no random state is saved and replayed (torch.utils.checkpoint does that for dropout); a block that
/// draws random numbers must not be checkpointed this way.</para>
/// <para>The module's parameters that require gradients are inputs of the autograd node, so the engine accumulates
/// their gradients like any leaf's, even when no tensor input requires a gradient (a frozen base model with trainable
/// adapters inside the block, where PyTorch's reentrant checkpoint needs <c>enable_input_require_grads()</c>). The
/// block is called through its own forward both times, so whatever its modules do in their forward
/// (adapters wrapping its linear layers, say) happens in both runs.</para>
/// </remarks>
public static class ActivationCheckpoint
{
    /// <summary>
    /// <paramref name="forward"/>(<paramref name="inputs"/>), with the block's intermediates recomputed in backward
    /// instead of kept. Without gradient mode, or when neither an input nor a parameter of <paramref name="module"/>
    /// requires a gradient, it is the plain call (nothing to differentiate, nothing to recompute).
    /// </summary>
    /// <param name="module">The module whose parameters <paramref name="forward"/> reads.</param>
    /// <param name="forward">The block's ordinary forward; in backward it is called again with detached copies of the inputs.</param>
    /// <param name="inputs">The tensors the block reads (null allowed), kept until backward.</param>
    public static Tensor Apply(nn.Module module, Func<Tensor?[], Tensor> forward, params Tensor?[] inputs)
    {
        var parameters = module.parameters().Where(p => p.requires_grad).ToArray();
        if (!is_grad_enabled() || (parameters.Length == 0 && !inputs.Any(t => t is { requires_grad: true })))
        {
            return forward(inputs);
        }

        return RecomputedBlock.apply([new Block(forward, inputs.Length, parameters), .. inputs, .. parameters]);
    }

    /// <summary>What backward needs besides the saved inputs: the forward to rerun and the parameters to differentiate.</summary>
    private sealed record Block(Func<Tensor?[], Tensor> Forward, int InputCount, Parameter[] Parameters);

    /// <summary>The autograd node. Its arguments are the <see cref="Block"/>, the inputs, then the trainable parameters.</summary>
    private sealed class RecomputedBlock : autograd.SingleTensorFunction<RecomputedBlock>
    {
        private const string BlockKey = "block";
        private const string RequiresGradKey = "requires_grad";

        /// <inheritdoc/>
        public override string Name => nameof(ActivationCheckpoint);

        /// <inheritdoc/>
        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var block = (Block)vars[0];
            var inputs = vars.Skip(1).Take(block.InputCount).Cast<Tensor?>().ToArray();
            // TorchSharp runs this without gradient mode: the block builds no graph, and its intermediates go with
            // the caller's dispose scope.
            ctx.save_for_backward([.. inputs]);
            ctx.save_data(BlockKey, block);
            ctx.save_data(RequiresGradKey, inputs.Select(t => t is { requires_grad: true }).ToArray());
            // A missing output gradient arrives as null instead of as zeros that TorchSharp would shape after a copy
            // of the output, which the caller's dispose scope has freed by then.
            ctx.set_materialize_grads(false);
            return block.Forward(inputs);
        }

        /// <inheritdoc/>
        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var block = (Block)ctx.get_data(BlockKey);
            // Null for the block and for inputs that need no gradient.
            var gradients = new Tensor[1 + block.InputCount + block.Parameters.Length];
            if (gradOutput is null || gradOutput.IsInvalid)
            {
                return [.. gradients];
            }

            // The engine runs backward functions with gradient mode set to create_graph, off for a plain backward
            // (PyTorch's checkpoint switches it on for the same reason): the rerun must build its graph.
            using (NewDisposeScope())
            using (enable_grad())
            {
                var requiresGrad = (bool[])ctx.get_data(RequiresGradKey);
                var inputs = ctx.get_saved_variables().Select((t, i) => t?.detach().requires_grad_(requiresGrad[i])).ToArray();
                var output = block.Forward(inputs);
                var differentiated = Enumerable.Range(0, inputs.Length).Where(i => requiresGrad[i]).ToArray();
                IList<Tensor> wrt = [.. differentiated.Select(i => inputs[i]!), .. block.Parameters];
                // torch.autograd.grad, not backward: the gradients come back to this node, which hands them to the
                // engine through its edges (so parameters accumulate exactly as without checkpointing).
                var grads = autograd.grad([output], wrt, [gradOutput]);
                for (var k = 0; k < differentiated.Length; k++)
                {
                    gradients[1 + differentiated[k]] = grads[k].MoveToOuterDisposeScope();
                }
                for (var k = 0; k < block.Parameters.Length; k++)
                {
                    gradients[1 + block.InputCount + k] = grads[differentiated.Length + k].MoveToOuterDisposeScope();
                }
            }
            return [.. gradients];
        }
    }
}
