using System.Runtime.InteropServices;
using GanSharp.Cli;

using var cts = new CancellationTokenSource();
int signalExit = 0;
// SIGINT (Ctrl-C) and SIGTERM (a job runner, `kill`) both ask long work to stop cleanly: training saves a checkpoint
// first. The exit code is then 128 + the signal number (130, 143), as shells expect. A second signal kills.
void Stop(PosixSignalContext context, int code)
{
    if (cts.IsCancellationRequested) return;
    context.Cancel = true;
    signalExit = code;
    Console.Error.WriteLine($"gansharp: {context.Signal} received: stopping cleanly (a second one kills)");
    cts.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, 130));
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, 143));
int rc = await GanSharpCli.RunAsync(args, Console.Out, Console.Error, cts.Token);
return signalExit != 0 ? signalExit : rc;
