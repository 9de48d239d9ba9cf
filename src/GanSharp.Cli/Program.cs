using GanSharp.Cli;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl-C asks long work to stop cleanly (training saves a checkpoint); a second one kills.
    if (cts.IsCancellationRequested) return;
    e.Cancel = true;
    cts.Cancel();
};
return await GanSharpCli.RunAsync(args, Console.Out, Console.Error, cts.Token);
