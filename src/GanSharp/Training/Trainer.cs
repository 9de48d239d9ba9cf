using System.Globalization;
using System.Diagnostics;
using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Data;
using GanSharp.Diagnostics;
using GanSharp.Imaging;
using static TorchSharp.torch;

namespace GanSharp.Training;

/// <summary>Progress of a training run, reported after each step.</summary>
public sealed record TrainingProgress(long Step, long TotalSteps, double StepsPerSecond, IReadOnlyDictionary<string, double> Scalars, string? Event = null);

/// <summary>How a run ended.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="Completed">False when cancelled before <see cref="TrainingOptions.Steps"/>.</param>
/// <param name="RunFolder">The run folder.</param>
/// <param name="LastCheckpoint">The last checkpoint written, or null.</param>
/// <param name="Rollbacks">NaN rollbacks that happened.</param>
/// <param name="StepsPerSecond">Mean speed of this session (excluding checkpoint and sample writing).</param>
/// <param name="LastScalars">The scalars of the last step.</param>
public sealed record TrainingResult(long Step, bool Completed, string RunFolder, string? LastCheckpoint, int Rollbacks, double StepsPerSecond, IReadOnlyDictionary<string, double> LastScalars)
{
    /// <summary>The run's <c>loss-curves.png</c>, drawn from its <c>stats.jsonl</c> when the run ends; null when nothing was logged.</summary>
    public string? LossCurves { get; init; }
}

/// <summary>The loop's own state inside a checkpoint (extra <c>trainer.json</c>; the random stream is <c>rng.bin</c>).</summary>
public sealed record TrainerState(long Step, int Epoch, int Batch, Dictionary<string, double[]> BaseLearningRates, int Rollbacks)
{
    /// <summary>Domain B's loader epoch when training on an <see cref="UnpairedDataset"/> (<see cref="Epoch"/> is then domain A's); null otherwise.</summary>
    public int? EpochB { get; init; }

    /// <summary>Domain B's loader batch when training on an <see cref="UnpairedDataset"/>; null otherwise.</summary>
    public int? BatchB { get; init; }
}

/// <summary>
/// The one generic training loop. Drives any <see cref="ITrainingMethod"/>: batches (deterministic by seed), learning-rate
/// schedules, <c>stats.jsonl</c> + TensorBoard, fixed-input sample grids, atomic checkpoints with exact resume (weights,
/// optimisers, random stream, data position), a NaN/Inf guard that stops or rolls back and says so, and cancellation
/// (Ctrl-C) that saves a checkpoint before returning.
/// </summary>
public sealed class Trainer
{
    readonly ITrainingMethod method;
    readonly IImageDataset data;
    readonly UnpairedDataset? unpaired;
    readonly TrainingOptions options;
    readonly Device device;

    /// <summary>Creates a trainer; nothing runs until <see cref="Run"/>.</summary>
    public Trainer(ITrainingMethod method, IImageDataset data, TrainingOptions options, Device device)
    {
        this.method = method;
        this.data = data;
        this.options = options.Validate();
        this.device = device;
        if (data.Count < options.BatchSize)
            throw new GanSharpException($"{data.Name} has {data.Count} images, fewer than one batch of {options.BatchSize}", "use a smaller --batch");
    }

    /// <summary>
    /// Creates a trainer for a two-domain method (CycleGAN): each step's <see cref="Batch"/> holds domain A's images and,
    /// as its <see cref="Batch.Partner"/>, an independent batch of domain B (<see cref="UnpairedDataset.CreateLoaders"/>).
    /// Checkpoints hold both loader positions, so a resumed run sees exactly the batches of an uninterrupted one.
    /// </summary>
    public Trainer(ITrainingMethod method, UnpairedDataset data, TrainingOptions options, Device device)
        : this(method, (data ?? throw new ArgumentNullException(nameof(data))).A, options, device)
    {
        unpaired = data;
    }

    /// <summary>The options and method options as one JSON object (written to <c>config.json</c> and checkpoints).</summary>
    public JsonElement ResolvedConfig() => CheckpointWriter.ToJson(new Dictionary<string, object>
    {
        ["method"] = method.Name,
        ["data"] = unpaired is null
            ? new { name = data.Name, count = data.Count, shape = $"{data.Channels}x{data.Height}x{data.Width}" }
            : (object)new { a = unpaired.A.Name, b = unpaired.B.Name, count = unpaired.Count, shape = $"{data.Channels}x{data.Height}x{data.Width}" },
        ["training"] = options,
        ["options"] = method.Options,
        ["architecture"] = method.Architecture,
    });

    /// <summary>
    /// Trains in <paramref name="run"/>, from scratch or from <paramref name="resumeFrom"/> (a checkpoint folder), until
    /// <see cref="TrainingOptions.Steps"/> or cancellation.
    /// </summary>
    public TrainingResult Run(RunFolder run, string? resumeFrom = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        var loaderOptions = new DataLoaderOptions(options.BatchSize, Shuffle: true, Seed: options.Seed, DropLast: true, Prefetch: options.Prefetch);
        DataLoader loader;
        DataLoader? loaderB = null;
        if (unpaired is null) loader = new DataLoader(data, loaderOptions, device);
        else (loader, loaderB) = unpaired.CreateLoaders(loaderOptions, device);
        using var disposeLoader = loader;
        using var disposeLoaderB = loaderB;
        using var rng = new Generator(options.Seed);
        using var sampleRng = new Generator(options.Seed ^ 0x5A3C_9E37UL);
        using var fixedInputs = method.FixedSampleInputs(options.SampleCount, sampleRng, device).DetachFromDisposeScope(); // also the final grid
        var ctx = new StepContext(device, rng);
        var baseLrs = method.Optimizers.ToDictionary(o => o.Key, o => o.Value.ParamGroups.Select(g => g.LearningRate).ToArray());
        long step = 0;
        int rollbacks = 0;
        string? lastCheckpoint = null;

        if (resumeFrom != null)
        {
            var state = Load(resumeFrom, loader, loaderB, rng);
            step = state.Step;
            rollbacks = state.Rollbacks;
            baseLrs = state.BaseLearningRates;
            run.Stats.MarkResume(step, resumeFrom);
            Log.Info($"resumed {method.Name} from {resumeFrom} at step {step}");
            progress?.Report(new TrainingProgress(step, options.Steps, 0, new Dictionary<string, double>(), $"resumed at step {step}"));
            // A run trained past its recorded total with a larger --steps is resumed with the recorded total unless --steps is given again.
            if (step >= options.Steps)
                Log.Warn($"the checkpoint is at step {step}, at or past this run's {options.Steps} steps: nothing to train (pass --steps N, N > {step}, to train on)");
        }

        var scalars = (IReadOnlyDictionary<string, double>)new Dictionary<string, double>();
        var computeTime = new Stopwatch();
        long stepsThisSession = 0;
        bool completed = false;
        try
        {
            // Short runs log more often, so that even a few-step run has a loss curve (at least ~20 points when it can).
            long logEvery = Math.Clamp(options.Steps / 20, 1, options.LogEvery);
            while (step < options.Steps)
            {
                cancel.ThrowIfCancellationRequested();
                ApplySchedule(baseLrs, step);
                ctx.Step = step;
                computeTime.Start();
                using (var scope = NewDisposeScope())
                {
                    using var batch = NextBatch(loader, loaderB, cancel);
                    scalars = method.TrainStep(batch, ctx);
                }
                computeTime.Stop();
                var bad = FindNonFinite(scalars, step);
                if (bad != null)
                {
                    if (options.Nan == NanPolicy.Stop || rollbacks >= options.MaxRollbacks)
                        throw new GanSharpException($"training stopped at step {step + 1}: {bad}" + (rollbacks > 0 ? $" (after {rollbacks} rollbacks)" : ""),
                            options.Nan == NanPolicy.Stop ? "lower the learning rate, or use --nan rollback" : "lower the learning rate or change the loss");
                    var latest = run.LatestCheckpoint() ?? throw new GanSharpException(
                        $"training stopped at step {step + 1}: {bad}; no checkpoint to roll back to yet", "lower the learning rate, or checkpoint more often");
                    rollbacks++;
                    var state = RollBack(run, latest, loader, loaderB, rng);
                    // A fresh random stream so that the same divergence is not replayed exactly.
                    rng.manual_seed((long)(options.Seed + 7919UL * (ulong)rollbacks));
                    Log.Warn($"{bad} at step {step + 1}: rolled back to step {state.Step} ({Path.GetFileName(latest)}), rollback {rollbacks} of {options.MaxRollbacks}");
                    progress?.Report(new TrainingProgress(state.Step, options.Steps, 0, scalars, $"rolled back to step {state.Step}"));
                    step = state.Step;
                    continue;
                }
                step++;
                stepsThisSession++;
                double speed = stepsThisSession / Math.Max(1e-9, computeTime.Elapsed.TotalSeconds);
                if (step % logEvery == 0 || step == options.Steps)
                {
                    var logged = new Dictionary<string, double>(scalars) { ["lr_factor"] = options.LrFactor(step - 1), ["steps_per_s"] = speed };
                    run.LogScalars(step, logged);
                }
                progress?.Report(new TrainingProgress(step, options.Steps, speed, scalars));
                if (CanaryFailed(step) is { } failure)
                {
                    string? good = run.LatestCheckpoint();
                    string message = $"numerics canary at step {step}: {failure}; training continues on the safe path (oneDNN off)";
                    if (good != null)
                    {
                        step = RollBack(run, good, loader, loaderB, rng).Step;
                        message += $" from step {step} ({Path.GetFileName(good)})";
                    }
                    else message += " from the current weights (no checkpoint yet)";
                    Log.Warn(message);
                    progress?.Report(new TrainingProgress(step, options.Steps, 0, scalars, message));
                    continue;
                }
                if (options.SampleEvery > 0 && step % options.SampleEvery == 0 && step != options.Steps) WriteSamples(run, fixedInputs, step);
                if (options.CheckpointEvery > 0 && step % options.CheckpointEvery == 0 && step != options.Steps)
                    lastCheckpoint = Save(run, step, loader, loaderB, rng, baseLrs, rollbacks);
            }
            completed = true;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Log.Info($"cancelled at step {step}; saving a checkpoint");
        }
        if (lastCheckpoint == null || !lastCheckpoint.EndsWith(RunFolder.CheckpointName(step), StringComparison.Ordinal))
        {
            if (step > 0 || completed) lastCheckpoint = Save(run, step, loader, loaderB, rng, baseLrs, rollbacks);
        }
        if (completed) WriteSamples(run, fixedInputs, step);
        double sessionSpeed = stepsThisSession / Math.Max(1e-9, computeTime.Elapsed.TotalSeconds);
        string? curves = run.WriteLossCurves() ? run.LossCurvesPath : null;
        return new TrainingResult(step, completed, run.Path, lastCheckpoint, rollbacks, sessionSpeed, scalars) { LossCurves = curves };
    }

    /// <summary>Loads <paramref name="checkpoint"/> into the method, the loaders and the stream, and marks the resume in the stats (a rollback).</summary>
    TrainerState RollBack(RunFolder run, string checkpoint, DataLoader loader, DataLoader? loaderB, Generator rng)
    {
        var state = Load(checkpoint, loader, loaderB, rng);
        run.Stats.MarkResume(state.Step, checkpoint);
        return state;
    }

    /// <summary>
    /// Runs the numerics canary when it is due (every <see cref="TrainingOptions.CanaryEvery"/> steps, on the CPU, while
    /// oneDNN is in use, for an <see cref="INumericsCanary"/>); on failure switches to the safe path and returns what
    /// failed, else null.
    /// </summary>
    string? CanaryFailed(long step)
    {
        if (options.CanaryEvery <= 0 || step % options.CanaryEvery != 0 || device.type != TorchSharp.DeviceType.CPU) return null;
        if (method is not INumericsCanary canary || !Platform.LibTorchSwitches.IsAvailable || !Platform.LibTorchSwitches.MkldnnEnabled) return null;
        Platform.NumericsComparison? result;
        try { result = canary.CheckNumerics(options.CanaryBatch); }
        catch (Exception e) when (e is not OutOfMemoryException) { result = new Platform.NumericsComparison(double.PositiveInfinity, 0, "the check failed: " + e.Message); }
        if (result is null || result.Passed) return null;
        string what = string.Create(CultureInfo.InvariantCulture, $"{result.Where} off by {result.Error:0.0e+0} against float64 (bound {result.Allowed:0.0e+0})");
        Platform.TorchRuntime.UseSafePath($"numerics canary at step {step}: {what}");
        return what;
    }

    /// <summary>The next batch; with a second loader, domain B's batch rides along as the partner (both advance, or neither).</summary>
    static Batch NextBatch(DataLoader a, DataLoader? b, CancellationToken cancel)
    {
        var batch = a.Next(cancel);
        if (b is null) return batch;
        try
        {
            return Batch.Unpaired(batch, b.Next(cancel));
        }
        catch
        {
            a.Seek(batch.Position); // keep the two positions in step (a cancelled read of B must not skip a batch of A)
            batch.Dispose();
            throw;
        }
    }

    string? FindNonFinite(IReadOnlyDictionary<string, double> scalars, long step)
    {
        foreach (var (name, value) in scalars)
        {
            if (!double.IsFinite(value)) return $"{name} is {value}";
            if (options.DivergeAbove > 0 && Math.Abs(value) > options.DivergeAbove)
                return string.Create(CultureInfo.InvariantCulture, $"{name} is {value:G3}, beyond the divergence bound {options.DivergeAbove:G3} (training diverged)");
        }
        if ((step + 1) % options.NanCheckEvery != 0) return null;
        using var _ = no_grad();
        foreach (var (net, module) in method.Networks)
            foreach (var (name, p) in module.named_parameters())
                if (!p.isfinite().all().item<bool>()) return $"a weight of {net} ({name}) is not finite";
        return null;
    }

    void ApplySchedule(Dictionary<string, double[]> baseLrs, long step)
    {
        double factor = options.LrFactor(step);
        foreach (var (name, opt) in method.Optimizers)
        {
            if (!baseLrs.TryGetValue(name, out var lrs)) continue;
            int i = 0;
            foreach (var g in opt.ParamGroups)
                if (i < lrs.Length) g.LearningRate = lrs[i++] * factor;
        }
    }

    void WriteSamples(RunFolder run, Tensor fixedInputs, long step)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var images = method.Sample(fixedInputs).cpu(); // [N, C, H, W]
        SampleGrid.WritePng(images, run.SamplePath($"fakes-{step:D9}.png"), new GridOptions(Columns: method.SampleColumns, Title: $"{method.Name} step {step}"));
    }

    /// <summary>The extra holding the loop's position, base learning rates and rollbacks.</summary>
    public const string TrainerStateName = "trainer";

    /// <summary>The extra holding the loop's random-generator state.</summary>
    public const string RngStateName = "rng";

    /// <summary>
    /// Writes a slim copy of any method's training checkpoint for distribution: its networks and its own extras, without
    /// the optimiser states and the loop's resume state (so it loads for use but cannot resume training). The copy is
    /// written atomically; files are copied byte for byte from the verified source.
    /// </summary>
    /// <param name="checkpoint">A checkpoint folder, a run folder (its latest checkpoint) or <c>latest</c>.</param>
    /// <param name="destination">The folder to write.</param>
    /// <param name="modules">The networks to keep (null: all), e.g. only PadInv's encoder, not the discriminator it trained against.</param>
    public static CheckpointManifest ExportSlim(string checkpoint, string destination, IReadOnlyCollection<string>? modules = null)
    {
        var reader = CheckpointReader.Open(RunFolder.Resolve(RunFolder.DefaultRoot, checkpoint).CheckpointPath);
        var m = reader.Manifest;
        if (modules?.FirstOrDefault(n => !reader.Has(CheckpointFileKind.Module, n)) is { } absent)
            throw new GanSharpException($"{checkpoint}: the '{m.Method}' checkpoint has no network '{absent}'");
        using var writer = new CheckpointWriter(destination, m.Method, m.Step, m.Options, m.Architecture);
        foreach (var f in m.Files)
            if ((f.Kind == CheckpointFileKind.Module && (modules is null || modules.Contains(f.Name)))
                || (f.Kind == CheckpointFileKind.Extra && f.Name is not (TrainerStateName or RngStateName)))
                writer.Copy(reader, f);
        return writer.Commit();
    }

    string Save(RunFolder run, long step, DataLoader loader, DataLoader? loaderB, Generator rng, Dictionary<string, double[]> baseLrs, int rollbacks)
    {
        var path = run.CheckpointPath(step);
        using (var writer = new CheckpointWriter(path, method.Name, step, ResolvedConfig(), CheckpointWriter.ToJson(method.Architecture)))
        {
            foreach (var (name, module) in method.Networks) writer.AddModule(name, module);
            foreach (var (name, opt) in method.Optimizers) writer.AddOptimizer(name, opt);
            writer.AddJson(TrainerStateName, new TrainerState(step, loader.Position.Epoch, loader.Position.Batch, baseLrs, rollbacks)
            {
                EpochB = loaderB?.Position.Epoch,
                BatchB = loaderB?.Position.Batch,
            });
            if (method is IResumableMethodState resumable)
                foreach (var (name, value) in resumable.SaveState()) writer.AddJson(name, value);
            using var state = rng.get_state().cpu();
            writer.AddBytes(RngStateName, state.data<byte>().ToArray());
            writer.Commit();
        }
        run.PublishCheckpoint(path, options.KeepCheckpoints);
        return path;
    }

    TrainerState Load(string checkpoint, DataLoader loader, DataLoader? loaderB, Generator rng)
    {
        var reader = CheckpointReader.Open(checkpoint);
        if (reader.Manifest.Method != method.Name)
            throw new GanSharpException($"{checkpoint} is a '{reader.Manifest.Method}' checkpoint, not '{method.Name}'");
        foreach (var (name, module) in method.Networks) reader.LoadModule(name, module, device);
        foreach (var (name, opt) in method.Optimizers) reader.LoadOptimizer(name, opt);
        if (method is IResumableMethodState resumable) resumable.RestoreState(reader);
        var state = reader.ReadJson<TrainerState>(TrainerStateName);
        loader.Seek(new LoaderPosition(state.Epoch, state.Batch));
        if (loaderB is not null)
        {
            if (state.EpochB is not int epochB || state.BatchB is not int batchB)
                throw new GanSharpException($"{checkpoint} holds one data position, but this run trains on two domains", "resume it with the method and data it was trained with");
            loaderB.Seek(new LoaderPosition(epochB, batchB));
        }
        var bytes = reader.ReadBytes(RngStateName);
        using var t = tensor(bytes, dtype: ScalarType.Byte);
        rng.set_state(t);
        return state;
    }
}
