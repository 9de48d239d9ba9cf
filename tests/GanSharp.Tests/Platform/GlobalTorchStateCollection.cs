namespace GanSharp.Tests.Platform;

/// <summary>Tests that switch process-wide libtorch state (the convolution path); they run alone, never beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalTorchStateCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "global torch state";
}
