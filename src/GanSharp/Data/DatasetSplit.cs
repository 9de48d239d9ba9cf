namespace GanSharp.Data;

/// <summary>Which half of a dataset with a fixed train/test partition.</summary>
public enum DatasetSplit
{
    /// <summary>The training partition.</summary>
    Train,

    /// <summary>The test partition.</summary>
    Test,
}
