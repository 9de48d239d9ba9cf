namespace GanSharp.Methods.Inversion;

/// <summary>Where an inversion is: reported once per optimisation step.</summary>
/// <param name="Step">Steps done in the current batch (1-based).</param>
/// <param name="Steps">Steps per batch.</param>
/// <param name="Batch">The current batch of images (0-based).</param>
/// <param name="Batches">Number of batches.</param>
/// <param name="Loss">Mean loss over the batch's images at this step.</param>
public readonly record struct InversionProgress(int Step, int Steps, int Batch, int Batches, double Loss)
{
    /// <summary>Fraction of the whole inversion done, in [0, 1].</summary>
    public double Fraction => (Batch + Step / (double)Steps) / Batches;
}
