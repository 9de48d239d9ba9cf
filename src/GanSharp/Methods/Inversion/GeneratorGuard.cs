using GanSharp.Models;

namespace GanSharp.Methods.Inversion;

/// <summary>
/// Puts a generator in eval mode with frozen parameters for an inversion (no gradient is accumulated into its weights,
/// BatchNorm uses its running statistics), and restores both on dispose.
/// </summary>
internal sealed class GeneratorGuard : IDisposable
{
    readonly IGenerator generator;
    readonly bool wasTraining;
    readonly List<(TorchSharp.Modules.Parameter Parameter, bool RequiresGrad)> saved;

    public GeneratorGuard(IGenerator generator)
    {
        this.generator = generator;
        wasTraining = generator.Module.training;
        saved = generator.Module.parameters().Select(p => (p, p.requires_grad)).ToList();
        foreach (var (p, _) in saved) p.requires_grad = false;
        generator.Module.eval();
    }

    public void Dispose()
    {
        foreach (var (p, requires) in saved) p.requires_grad = requires;
        generator.Module.train(wasTraining);
    }
}
