using GanSharp.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Training;

/// <summary>What one training step may use: the step number, the device, the method's random stream and cancellation.</summary>
public sealed class StepContext
{
    /// <summary>Creates a context.</summary>
    public StepContext(Device device, Generator rng)
    {
        Device = device;
        Rng = rng;
    }

    /// <summary>The 0-based step about to run.</summary>
    public long Step { get; set; }

    /// <summary>Where the method computes.</summary>
    public Device Device { get; }

    /// <summary>
    /// The one random stream for latents, interpolation weights etc. Its state is saved in checkpoints, so a resumed
    /// run draws the same numbers as an uninterrupted one.
    /// </summary>
    public Generator Rng { get; }
}

/// <summary>
/// The small contract (after pix2pix's <c>BaseModel</c>) that lets one generic loop, <see cref="Trainer"/>, drive every
/// method: the method owns its networks, optimisers and one step; the loop owns data, schedules, logging, samples,
/// checkpoints, resume, the NaN guard and cancellation.
/// </summary>
public interface ITrainingMethod : IDisposable
{
    /// <summary>Method name written into checkpoints (e.g. <c>gan</c>).</summary>
    string Name { get; }

    /// <summary>The resolved options (JSON-serialisable), written into <c>config.json</c> and every checkpoint.</summary>
    object Options { get; }

    /// <summary>The architecture configs (JSON-serialisable) that rebuild the networks.</summary>
    object Architecture { get; }

    /// <summary>Every network whose weights a checkpoint holds (including EMA copies), by name.</summary>
    IReadOnlyDictionary<string, nn.Module> Networks { get; }

    /// <summary>Every optimiser whose state a checkpoint holds, by name.</summary>
    IReadOnlyDictionary<string, OptimizerHelper> Optimizers { get; }

    /// <summary>Runs one training step on <paramref name="batch"/> and returns the scalars to log (losses, estimates).</summary>
    IReadOnlyDictionary<string, double> TrainStep(Batch batch, StepContext context);

    /// <summary>Images <c>[N, C, H, W]</c> in [-1, 1] for the sample grid from fixed inputs (e.g. latents <c>[N, Z]</c>).</summary>
    Tensor Sample(Tensor fixedInputs);

    /// <summary>Fixed inputs for sample grids: <paramref name="count"/> items drawn from <paramref name="rng"/>.</summary>
    Tensor FixedSampleInputs(int count, Generator rng, Device device);

    /// <summary>Cells per row of the sample grid (e.g. one row per kind of image); null for a square-ish grid.</summary>
    int? SampleColumns => null;
}

/// <summary>
/// A method whose networks can check, while training, that the convolution path in use still agrees with float64
/// (<see cref="TrainingOptions.CanaryEvery"/>): the fast path is verified once before training, on fresh networks;
/// oneDNN's errors are data-dependent, so trained weights can meet a wrong kernel that fresh ones did not.
/// </summary>
public interface INumericsCanary
{
    /// <summary>The worst tensor of the end-to-end check on copies of the current networks, or null when it cannot be run.</summary>
    Platform.NumericsComparison? CheckNumerics(int batch);
}
