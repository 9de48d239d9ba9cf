using System.Runtime.InteropServices;
using GanSharp.Platform;

namespace GanSharp.Tests.Platform;

public partial class OpenMpWaitPolicyTests
{
    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);

    [Fact]
    public void ThePassivePolicyReachesTheNativeEnvironmentBeforeLibtorchLoadsUnlessTheUserChoseOne()
    {
        Assert.False(string.IsNullOrEmpty(OpenMpWaitPolicy.Description));
        Assert.DoesNotContain("not initialised", OpenMpWaitPolicy.Description); // the module initialiser ran
        if (!OperatingSystem.IsLinux() || OpenMpWaitPolicy.Description.Contains("set by the user", StringComparison.Ordinal)) return;
        Assert.StartsWith($"{OpenMpWaitPolicy.Variable}={OpenMpWaitPolicy.Default}", OpenMpWaitPolicy.Description);
        Assert.Equal(OpenMpWaitPolicy.Default, Marshal.PtrToStringUTF8(GetEnv(OpenMpWaitPolicy.Variable))); // what libgomp reads
        Assert.Contains(OpenMpWaitPolicy.Default, GanSharp.Platform.DoctorReport.Collect().OpenMpWaitPolicy);
    }
}
