using System.CommandLine;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Inversion.Encoder;

namespace GanSharp.Cli.Commands;

/// <summary><c>gansharp train encoder</c>: an encoder for encoder-based and hybrid inversion of a trained generator.</summary>
public static class TrainEncoderCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("encoder", "Train an inversion encoder E for a GAN checkpoint (pixel + perceptual reconstruction, latent regression on generated images)");
        var space = new Option<string>("--space") { Description = "Latent space the encoder predicts: z, w or wplus", DefaultValueFactory = _ => "w" };
        var latentWeight = new Option<double?>("--latent-weight") { Description = "λ_lat of the latent regression on generated images" };
        cmd.Options.Add(space);
        cmd.Options.Add(latentWeight);
        var o = InversionTrainOptions.AddTo(cmd);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            var defaults = new EncoderOptions();
            var options = defaults with
            {
                LearningRate = parse.GetValue(o.LearningRate) ?? defaults.LearningRate,
                PerceptualWeight = parse.GetValue(o.PerceptualWeight) ?? defaults.PerceptualWeight,
                LatentWeight = parse.GetValue(latentWeight) ?? defaults.LatentWeight,
                Width = parse.GetValue(o.Width),
            };
            options.Validate();
            var latentSpace = LatentSpaces.Parse(parse.GetValue(space)!);
            int code = o.Run(ctx, parse, device, EncoderMethod.MethodName, (g, phi) =>
                new EncoderMethod(g, EncoderArchitecture.For(g, latentSpace, options.Width, Path.GetFullPath(parse.GetValue(o.Generator)!)), options, phi, device, parse.GetValue(o.Seed)), cancel);
            return Task.FromResult(code);
        });
        return cmd;
    }
}
