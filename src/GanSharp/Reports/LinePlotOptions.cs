namespace GanSharp.Reports;

/// <summary>Layout of a <see cref="LinePlot"/>.</summary>
/// <param name="Title">Heading above the plot, or null.</param>
/// <param name="XLabel">Label under the x axis.</param>
/// <param name="YLabel">Label beside the y axis.</param>
/// <param name="XMin">Left end of the x axis.</param>
/// <param name="XMax">Right end of the x axis.</param>
/// <param name="YMin">Bottom of the y axis.</param>
/// <param name="YMax">Top of the y axis.</param>
/// <param name="Diagonal">Draw the dashed line y = x (the chance line of a ROC plot).</param>
/// <param name="LogY">A logarithmic y axis (for values that span decades); every y, and <paramref name="YMin"/>, must then be positive.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
public sealed record LinePlotOptions(
    string? Title = null,
    string XLabel = "x",
    string YLabel = "y",
    double XMin = 0,
    double XMax = 1,
    double YMin = 0,
    double YMax = 1,
    bool Diagonal = false,
    int Width = 480,
    int Height = 420,
    bool LogY = false)
{
    /// <summary>The options of a ROC plot: both axes [0, 1], FPR against TPR, with the chance diagonal.</summary>
    public static LinePlotOptions Roc(string? title = null) => new(title, "false positive rate", "true positive rate", Diagonal: true);

    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid option; returns this otherwise.</summary>
    public LinePlotOptions Validate()
    {
        if (Width < 160 || Height < 120 || Width > 4096 || Height > 4096)
            throw new GanSharpException($"plot size {Width}x{Height}: must be 160x120 .. 4096x4096");
        if (!(XMax > XMin) || !(YMax > YMin) || !double.IsFinite(XMax - XMin) || !double.IsFinite(YMax - YMin))
            throw new GanSharpException($"plot ranges x [{XMin}, {XMax}], y [{YMin}, {YMax}]: each must be finite and non-empty");
        if (LogY && !(YMin > 0))
            throw new GanSharpException($"plot range y [{YMin}, {YMax}]: a log axis needs a positive bottom");
        return this;
    }
}
