namespace GanSharp.Training;

/// <summary>Where <c>--resume</c> continues from.</summary>
/// <param name="CheckpointPath">The checkpoint folder to load (read it with <see cref="Checkpoints.CheckpointReader"/>).</param>
/// <param name="RunFolderPath">The run folder the checkpoint belongs to, or null for a checkpoint outside a run folder.</param>
/// <param name="Step">The training step recorded in the checkpoint's manifest.</param>
public sealed record ResumePoint(string CheckpointPath, string? RunFolderPath, long Step);
