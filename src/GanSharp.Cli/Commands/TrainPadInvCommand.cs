using System.CommandLine;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Inversion.PadInv;
using GanSharp.Methods.Synthesis.Gan;

namespace GanSharp.Cli.Commands;

/// <summary><c>gansharp train padinv</c>: a PadInv encoder (latent code + padding values) for a StyleGAN checkpoint.</summary>
public static class TrainPadInvCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("padinv", "Train a PadInv encoder for a StyleGAN checkpoint: latent code + padding values of the last padded layers; D fine-tuned with R1");
        var space = new Option<string>("--space") { Description = "Latent space: z, w or wplus", DefaultValueFactory = _ => "wplus" };
        var layers = new Option<int>("--layers") { Description = "Padded layers (the last ones) whose padding the encoder predicts", DefaultValueFactory = _ => new PadInvOptions().Layers };
        var adversarial = new Option<double?>("--adversarial-weight") { Description = "λ_adv" };
        var reg = new Option<double?>("--latent-reg-weight") { Description = "λ_reg of ‖E_latent(x) − w̄‖²" };
        var r1 = new Option<double?>("--r1") { Description = "γ of D's R1 penalty" };
        foreach (var opt in new Option[] { space, layers, adversarial, reg, r1 }) cmd.Options.Add(opt);
        var o = InversionTrainOptions.AddTo(cmd);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            var defaults = new PadInvOptions();
            var options = (defaults with
            {
                Layers = parse.GetValue(layers),
                LearningRate = parse.GetValue(o.LearningRate) ?? defaults.LearningRate,
                PerceptualWeight = parse.GetValue(o.PerceptualWeight) ?? defaults.PerceptualWeight,
                AdversarialWeight = parse.GetValue(adversarial) ?? defaults.AdversarialWeight,
                LatentRegWeight = parse.GetValue(reg) ?? defaults.LatentRegWeight,
                R1Gamma = parse.GetValue(r1) ?? defaults.R1Gamma,
                Width = parse.GetValue(o.Width),
            }).Validate();
            var latentSpace = LatentSpaces.Parse(parse.GetValue(space)!);
            string generatorPath = parse.GetValue(o.Generator)!;
            int code = o.Run(ctx, parse, device, PadInvMethod.MethodName, (g, phi) =>
            {
                var arch = PadInvArchitecture.For(g, latentSpace, options, Path.GetFullPath(generatorPath));
                var d = GanCheckpoint.Open(generatorPath).LoadDiscriminator(device);
                return new PadInvMethod(g, d, arch, options, phi, device, parse.GetValue(o.Seed));
            }, cancel);
            return Task.FromResult(code);
        });
        return cmd;
    }
}
