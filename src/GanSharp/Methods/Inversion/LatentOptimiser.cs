using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion;

/// <summary>
/// The optimisation loop shared by single-code inversion, mGANprior and restoration: Adam on the given leaves, the
/// learning rate following the options' schedule, the per-image losses summed (so every image's gradient comes from
/// its own loss only).
/// </summary>
internal static class LatentOptimiser
{
    /// <summary>Runs the steps; returns the per-image loss of the final parameters <c>[N]</c> and the mean loss after each step.</summary>
    /// <param name="leaves">The tensors optimised.</param>
    /// <param name="render">Images from the current leaves. // [N, C, H, W]</param>
    /// <param name="penalty">An extra per-image term (latent prior), or null. // [N]</param>
    /// <param name="objective">The data term.</param>
    /// <param name="options">Steps, learning rate, schedule.</param>
    /// <param name="report">Called after each step with (step 1-based, mean loss).</param>
    /// <param name="cancel">Checked before every step.</param>
    public static (Tensor FinalLosses, double[] History) Run(IReadOnlyList<TorchSharp.Modules.Parameter> leaves, Func<Tensor> render, Func<Tensor>? penalty,
        InversionObjective objective, InversionOptions options, Action<int, double>? report, CancellationToken cancel)
    {
        var history = new double[options.Steps];
        using var optimizer = optim.Adam(leaves, lr: options.LearningRate);
        for (int step = 0; step < options.Steps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            double lr = options.LearningRate * options.Schedule.Factor(step, options.Steps, options.WarmupFraction);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var losses = Total(render, penalty, objective); // [N]
            losses.sum().backward();
            optimizer.step();
            history[step] = losses.detach().mean().item<float>();
            report?.Invoke(step + 1, history[step]);
        }
        using var final = NewDisposeScope();
        using var _ = no_grad();
        return (Total(render, penalty, objective).MoveToOuterDisposeScope(), history);
    }

    static Tensor Total(Func<Tensor> render, Func<Tensor>? penalty, InversionObjective objective)
    {
        var losses = objective.Loss(render());
        return penalty is null ? losses : losses + penalty();
    }
}
