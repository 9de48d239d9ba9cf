using GanSharp.Methods.Inversion;
using GanSharp.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Editing;

/// <summary>Insert a concept into the painted region, or remove it from there.</summary>
public enum PaintAction
{
    /// <summary>Set the concept's units to their typical active level inside the mask.</summary>
    Insert,

    /// <summary>Set the concept's units to zero inside the mask.</summary>
    Remove,
}

/// <summary>Settings of GAN Paint.</summary>
/// <param name="Units">k: how many of the concept's top-IoU units are edited.</param>
/// <param name="Strength">Insert writes Strength × the unit's active level (the mean of its activations above t_u).</param>
/// <param name="InvertSteps">Adam steps of the w+ inversion of the photo (pixel + perceptual loss).</param>
/// <param name="FeatureSteps">Adam steps that then refine the editing layer's features directly (0: off).</param>
/// <param name="FitSteps">Steps of the (1 + δ) fit done once per image (the fast preview uses it for every edit).</param>
/// <param name="RenderSteps">Steps of the full-quality fit, redone per edit with the edit applied and its mask left out of the loss.</param>
/// <param name="FitLearningRate">Adam's learning rate for δ and for the feature refinement.</param>
/// <param name="RegularisationWeight">λ_reg of Σ_i mean(δ_i²) [the paper: 0.1].</param>
/// <param name="PerceptualWeight">Weight of the perceptual term in the inversion (when a feature network is given).</param>
/// <param name="Feather">Pixels inside the mask's edge over which the edit fades into the pasted-back original (outside the mask the photo is kept exactly).</param>
/// <param name="Seed">Seed of the inversion's fixed noise maps.</param>
public sealed record PaintOptions(int Units = 8, double Strength = 1.0, int InvertSteps = 300, int FeatureSteps = 100, int FitSteps = 200,
    int RenderSteps = 300, double FitLearningRate = 0.01, double RegularisationWeight = 0.1, double PerceptualWeight = 1.0, int Feather = 2,
    ulong Seed = 0)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid setting.</summary>
    public PaintOptions Validate()
    {
        if (Units < 1) throw new GanSharpException($"paint: --units {Units}; must be at least 1");
        if (!(Strength > 0) || !double.IsFinite(Strength)) throw new GanSharpException($"paint: --strength {Strength}; must be positive");
        if (InvertSteps < 1 || FeatureSteps < 0 || FitSteps < 0 || RenderSteps < 0) throw new GanSharpException("paint: step counts must not be negative (and inversion needs at least 1)");
        if (!(FitLearningRate > 0)) throw new GanSharpException($"paint: fit learning rate {FitLearningRate}; must be positive");
        if (!(RegularisationWeight >= 0)) throw new GanSharpException($"paint: regularisation weight {RegularisationWeight}; must not be negative");
        if (Feather is < 0 or > 16) throw new GanSharpException($"paint: --feather {Feather}; must be 0..16 pixels");
        return this;
    }
}

/// <summary>One edit: the final image, the generator's raw rendering, the masks and the units that were set.</summary>
/// <param name="Edited">The result: the rendering inside the feathered mask, the original photo outside. // [1, C, H, W]</param>
/// <param name="Rendered">G′ of the edited features, before the paste-back. // [1, C, H, W]</param>
/// <param name="Blend">The feathered mask used for the paste-back, in [0, 1]. // [1, 1, H, W]</param>
/// <param name="LayerMask">The mask at the editing layer's resolution (0/1). // [1, 1, r, r]</param>
/// <param name="Units">The units that were set.</param>
public sealed record EditResult(Tensor Edited, Tensor Rendered, Tensor Blend, Tensor LayerMask, IReadOnlyList<int> Units) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Edited.Dispose(); Rendered.Dispose(); Blend.Dispose(); LayerMask.Dispose();
    }
}

/// <summary>
/// GAN Paint for one photo: the photo inverted to the features of the editing layer, multiplicative perturbations
/// (1 + δ_b) fitted on every later block so that the generator reproduces the photo, and edits that set a concept's
/// units (from a <see cref="DissectionResult"/>) inside a painted mask. A session is what a server holds per user:
/// <c>Preview</c> reuses the fit of <see cref="Fit"/> (one forward pass per edit); <c>Render</c>
/// re-fits δ with the edit applied and the mask left out of the loss. Both paste the original pixels back outside a
/// feathered mask. Dispose it to free its tensors; the generator is shared, not owned.
/// </summary>
/// <remarks>Bau, Strobelt, Peebles, Wulff, Zhou, Zhu, Torralba, "Semantic Photo Manipulation with a Generative Image
/// Prior", SIGGRAPH 2019: §3.1 (invert to z_h), §3.2 (image-specific adaptation, Eq. 4: ‖(G′(z_e) − x) ⊙ (1 − mask)‖₁ +
/// λ_reg Σ‖δ_i‖²; here each ‖δ_i‖² is a mean so that λ does not depend on the layer sizes).</remarks>
public sealed class EditSession : IDisposable
{
    readonly IBlockwiseGenerator g;
    readonly Tensor ws;                   // [1, K, S] w+ of the photo
    readonly IReadOnlyList<Tensor> noise; // fixed noise maps
    readonly Tensor features;             // [1, C_l, r, r] at the editing layer
    readonly List<Parameter> deltas;      // δ_b per later block, [1, C_b, R_b, R_b]
    readonly int units;
    bool disposed;

    EditSession(IBlockwiseGenerator g, DissectionResult dissection, PaintOptions options, Tensor image, Tensor ws, IReadOnlyList<Tensor> noise,
        Tensor features, List<Parameter> deltas)
    {
        this.g = g; Dissection = dissection; Options = options; Image = image; this.ws = ws; this.noise = noise; this.features = features; this.deltas = deltas;
        units = dissection.Units.Count;
    }

    /// <summary>The dissection whose concepts can be painted.</summary>
    public DissectionResult Dissection { get; }

    /// <summary>The settings.</summary>
    public PaintOptions Options { get; }

    /// <summary>The photo. // [1, C, H, W] in [-1, 1]</summary>
    public Tensor Image { get; }

    /// <summary>The editing layer.</summary>
    public int Layer => Dissection.Layer;

    /// <summary>Inverts <paramref name="image"/> (<c>[C, H, W]</c> or <c>[1, C, H, W]</c> in [-1, 1]) and fits δ once.</summary>
    public static EditSession Fit(IGenerator generator, DissectionResult dissection, Tensor image, PaintOptions? options = null,
        IPerceptualFeatures? perceptual = null, IProgress<string>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(dissection);
        var o = (options ?? new PaintOptions()).Validate();
        if (generator is not IBlockwiseGenerator g)
            throw new GanSharpException($"paint: the generator ({generator.GetType().Name}) cannot be perturbed block by block", "use a StyleGAN2 or DCGAN checkpoint");
        if (dissection.Layer < 0 || dissection.Layer >= g.LayerCount)
            throw new GanSharpException($"paint: the dissection is of layer {dissection.Layer}, but the generator has layers 0..{g.LayerCount - 1}");
        int unitCount = Editing.Dissection.UnitCount(g, dissection.Layer);
        if (unitCount != dissection.Units.Count)
            throw new GanSharpException($"paint: the dissection has {dissection.Units.Count} units at layer {dissection.Layer}, the generator {unitCount}", "dissect this generator");
        var x = image.dim() == 3 ? image.unsqueeze(0) : image;
        if (x.dim() != 4 || x.shape[0] != 1 || !new ImageShape((int)x.shape[1], (int)x.shape[2], (int)x.shape[3]).Equals(g.Output))
            throw new GanSharpException($"paint: the image is [{string.Join(", ", image.shape)}] but the generator draws {g.Output}");
        if (!x.isfinite().all().item<bool>()) throw new GanSharpException("paint: the image holds NaN or Inf values");
        var device = g.MeanLatent.device;
        x = x.detach().to(float32, device);

        progress?.Report("inverting");
        var inversion = GanInversion.Invert(g, x, new InversionOptions(Space: LatentSpace.WPlus, Steps: o.InvertSteps, PerceptualWeight: o.PerceptualWeight, Seed: o.Seed),
            perceptual: perceptual, cancel: cancel);
        var ws = inversion.Codes.detach().DetachFromDisposeScope();
        var noise = inversion.Noise.Select(n => n.detach().DetachFromDisposeScope()).ToArray();
        Tensor features;
        using (no_grad()) features = g.FeaturesAt(dissection.Layer, ws, noise.Length == 0 ? null : noise).detach().DetachFromDisposeScope();
        var deltas = new List<Parameter>();
        var session = new EditSession(g, dissection, o, x.DetachFromDisposeScope(), ws, noise, features, deltas);
        try
        {
            using var guard = new GeneratorGuard(g);
            if (o.FeatureSteps > 0)
            {
                progress?.Report("refining the layer's features");
                session.RefineFeatures(perceptual, cancel);
            }
            session.CreateDeltas();
            progress?.Report("fitting the generator to the photo");
            session.FitDeltas(session.deltas, session.features, zeros(1, 1, x.shape[2], x.shape[3], device: device), o.FitSteps, cancel);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        return session;
    }

    /// <summary>G′ of the unedited features with the fitted δ: the photo as the adapted generator draws it. // [1, C, H, W]</summary>
    public Tensor Reconstruction()
    {
        using var _ = no_grad();
        return Render(features, deltas);
    }

    /// <summary>The fast edit: the features edited inside the mask, rendered through the δ fitted once, pasted into the photo.</summary>
    /// <param name="mask">The painted region, <c>[H, W]</c>, <c>[1, H, W]</c> or <c>[1, 1, H, W]</c>, nonzero = painted.</param>
    /// <param name="concept">A concept of the dissection; its top <see cref="PaintOptions.Units"/> units for <paramref name="action"/>
    /// are set (<see cref="DissectionResult.TopUnits"/>: by causal effect when the dissection measured it, else by IoU).</param>
    /// <param name="action">Insert or remove.</param>
    /// <param name="cancel">Checked before the work starts.</param>
    public EditResult Preview(Tensor mask, string concept, PaintAction action, CancellationToken cancel = default) =>
        Preview(mask, Dissection.TopUnits(concept, Options.Units, action), action, cancel);

    /// <summary>The fast edit of explicit <paramref name="units"/> (e.g. a control set of random units).</summary>
    public EditResult Preview(Tensor mask, IReadOnlyList<int> units, PaintAction action, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        var (full, layerMask, chosen) = Prepare(mask, units);
        using var _ = no_grad();
        var edited = EditFeatures(features, layerMask, chosen, action);
        return Finish(Render(edited, deltas), full, layerMask, chosen);
    }

    /// <summary>The full-quality edit: δ re-fitted (from the session's δ) on the edited features with the mask left out of the loss.</summary>
    public EditResult Render(Tensor mask, string concept, PaintAction action, CancellationToken cancel = default) =>
        Render(mask, Dissection.TopUnits(concept, Options.Units, action), action, cancel);

    /// <summary>The full-quality edit of explicit <paramref name="units"/>.</summary>
    public EditResult Render(Tensor mask, IReadOnlyList<int> units, PaintAction action, CancellationToken cancel = default)
    {
        var (full, layerMask, chosen) = Prepare(mask, units);
        Tensor edited;
        using (no_grad()) edited = EditFeatures(features, layerMask, chosen, action);
        var local = deltas.Select(d => new Parameter(d.detach().clone(), requires_grad: true)).ToList();
        try
        {
            using (new GeneratorGuard(g)) FitDeltas(local, edited, full, Options.RenderSteps, cancel);
            using var _ = no_grad();
            return Finish(Render(edited, local), full, layerMask, chosen);
        }
        finally
        {
            edited.Dispose();
            foreach (var d in local) d.Dispose();
        }
    }

    /// <summary>
    /// The features with <paramref name="chosen"/> units set inside <paramref name="layerMask"/> (<c>[1, 1, r, r]</c>, 0/1):
    /// to Strength × their active level (insert) or to 0 (remove); everything else unchanged.
    /// </summary>
    public Tensor EditFeatures(Tensor layerFeatures, Tensor layerMask, IReadOnlyList<int> chosen, PaintAction action) =>
        Editing.Dissection.SetUnits(layerFeatures, layerMask, chosen,
            action == PaintAction.Insert ? chosen.Select(u => Options.Strength * Dissection.Units[u].ActiveLevel).ToArray() : null);

    /// <summary>The painted mask at resolution <paramref name="side"/>: a cell is edited when any of its pixels is painted. // [1, 1, r, r]</summary>
    public static Tensor LayerMask(Tensor mask, long side)
    {
        using var scope = NewDisposeScope();
        var m = mask.ne(0).to(float32);
        long h = m.shape[2];
        var r = h == side ? m : F.adaptive_max_pool2d(m, new long[] { side, side });
        return r.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The mask with its edge softened inwards over <paramref name="pixels"/>: 0 outside the mask (the photo is kept
    /// exactly there), rising to 1 inside it. // [1, 1, H, W]
    /// </summary>
    public static Tensor FeatherMask(Tensor mask, int pixels)
    {
        using var scope = NewDisposeScope();
        var m = mask.ne(0).to(float32);
        if (pixels == 0) return m.MoveToOuterDisposeScope();
        int k = 2 * pixels + 1;
        // The share of the window that is painted: 1 deep inside, falling towards the edge, never 0 on a painted pixel.
        var soft = F.avg_pool2d(m, k, stride: 1, padding: pixels, count_include_pad: false);
        return (soft * m).MoveToOuterDisposeScope();
    }

    (Tensor Full, Tensor LayerMask, IReadOnlyList<int> Units) Prepare(Tensor mask, IReadOnlyList<int> chosen)
    {
        if (disposed) throw new ObjectDisposedException(nameof(EditSession));
        foreach (int u in chosen)
            if (u < 0 || u >= units) throw new GanSharpException($"paint: unit {u} is not a unit of layer {Layer} (0..{units - 1})");
        var m = mask.dim() switch
        {
            2 => mask.unsqueeze(0).unsqueeze(0),
            3 => mask.unsqueeze(0),
            4 => mask,
            _ => throw new GanSharpException($"paint: the mask is [{string.Join(", ", mask.shape)}]; expected [H, W]"),
        };
        if (m.shape[0] != 1 || m.shape[1] != 1 || m.shape[2] != Image.shape[2] || m.shape[3] != Image.shape[3])
            throw new GanSharpException($"paint: the mask is [{string.Join(", ", mask.shape)}] but the image is {Image.shape[2]}×{Image.shape[3]}");
        var full = m.ne(0).to(float32, Image.device);
        return (full, LayerMask(full, features.shape[2]), chosen);
    }

    EditResult Finish(Tensor rendered, Tensor full, Tensor layerMask, IReadOnlyList<int> chosen)
    {
        var blend = FeatherMask(full, Options.Feather);
        var edited = rendered * blend + Image * (1 - blend);
        full.Dispose();
        return new EditResult(edited, rendered, blend, layerMask, chosen);
    }

    Tensor Render(Tensor layerFeatures, IReadOnlyList<Tensor> ds) =>
        g.SynthesizeFrom(Layer, layerFeatures, ws, noise.Count == 0 ? null : noise, (b, x) => x * (1 + ds[b - Layer - 1]));

    void CreateDeltas()
    {
        using var _ = no_grad();
        var shapes = new List<long[]>();
        g.SynthesizeFrom(Layer, features, ws, noise.Count == 0 ? null : noise, (b, x) => { shapes.Add(x.shape); return x; }).Dispose();
        // Blocks after the layer that have no perturbable maps (a DCGAN's image layer) still get an entry, never used.
        int later = g.LayerCount - 1 - Layer;
        for (int i = 0; i < later; i++)
        {
            var s = i < shapes.Count ? shapes[i] : new long[] { 1, 1, 1, 1 };
            var delta = new Parameter(zeros(new long[] { 1, s[1], s[2], s[3] }, device: features.device), requires_grad: true);
            delta.DetachFromDisposeScope();
            deltas.Add(delta);
        }
    }

    void FitDeltas(List<Parameter> ds, Tensor layerFeatures, Tensor excluded, int steps, CancellationToken cancel)
    {
        if (steps == 0) return;
        var keep = 1 - excluded; // [1, 1, H, W]
        var used = ds.Where(d => d.numel() > 1).ToList();
        if (used.Count == 0) return;
        using var opt = optim.Adam(used, lr: Options.FitLearningRate);
        for (int step = 0; step < steps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var y = Render(layerFeatures, ds);
            var loss = ((y - Image).abs() * keep).mean();
            foreach (var d in used) loss = loss + Options.RegularisationWeight * d.square().mean();
            loss.backward();
            opt.step();
        }
    }

    void RefineFeatures(IPerceptualFeatures? perceptual, CancellationToken cancel)
    {
        var objective = new InversionObjective(Image, null, perceptual, Options.PerceptualWeight);
        var f = new Parameter(features.clone(), requires_grad: true);
        using var opt = optim.Adam(new[] { f }, lr: Options.FitLearningRate);
        for (int step = 0; step < Options.FeatureSteps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            opt.zero_grad();
            objective.Loss(g.SynthesizeFrom(Layer, f, ws, noise.Count == 0 ? null : noise)).sum().backward();
            opt.step();
        }
        using var _ = no_grad();
        features.copy_(f);
        f.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Image.Dispose(); ws.Dispose(); features.Dispose();
        foreach (var n in noise) n.Dispose();
        foreach (var d in deltas) d.Dispose();
    }
}
