using GanSharp.Checkpoints;

namespace GanSharp.Training;

/// <summary>
/// A training method with state beyond its networks and optimisers that a resumed run needs to continue exactly (e.g.
/// the GAN's adaptive augmentation probability). The <see cref="Trainer"/> writes it into every checkpoint as JSON
/// extras and hands the checkpoint back on resume.
/// </summary>
public interface IResumableMethodState
{
    /// <summary>The state to save: checkpoint extra name → a JSON-serialisable value (empty when there is none).</summary>
    IReadOnlyDictionary<string, object> SaveState();

    /// <summary>Restores the state from <paramref name="reader"/>; an extra that is absent leaves the initial state.</summary>
    void RestoreState(CheckpointReader reader);
}
