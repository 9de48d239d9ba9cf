using GanSharp.Bench;

// Benchmarks print Markdown tables (paste-able into bench/README.md). Usage: dotnet run -c Release --project bench/GanSharp.Bench -- <name>
var benches = new Dictionary<string, Func<string[], int>>
{
    ["platform"] = PlatformBench.Run,
    ["stylegan"] = StyleGanBench.Run,
    ["gan-step"] = GanStepBench.Run,
    ["onednn-channels"] = OneDnnChannelsBench.Run,
    ["anomaly"] = AnomalyBench.Run,
    ["inversion"] = InversionBench.Run,
    ["editing"] = EditingBench.Run,
    ["metric-validity"] = MetricValidityBench.Run,
    ["studio-load"] = StudioLoadBench.Run,
    ["translation"] = TranslationBench.Run,
    ["device-agreement"] = DeviceAgreementBench.Run,
    ["numerics-separation"] = NumericsSeparationBench.Run,
    ["stripes"] = StripeBench.Run,
};
if (args.Length == 0 || !benches.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine("usage: GanSharp.Bench <" + string.Join('|', benches.Keys) + "> [options]");
    return 2;
}
return run(args[1..]);
