using GanSharp.Checkpoints;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Tests.Platform;

/// <summary>
/// Resuming a CPU-trained StyleGAN2 run on an H200 failed with "cannot load optimiser state … The given key … was not
/// present": TorchSharp's <c>Module.to(device)</c> copies a parameter whenever its device index differs from the
/// target's, and an index-less <c>cuda</c> (−1) differs from the parameters' cuda:0, so a second move (loading the
/// checkpoint) replaced every parameter behind the optimiser's back. GanSharp now hands out concrete devices only.
/// </summary>
public class ConcreteDeviceTests
{
    [Fact]
    public void AnIndexLessAcceleratorBecomesIndexZeroAndTheCpuStaysAsItIs()
    {
        var cuda = TorchRuntime.Concrete(new Device(DeviceType.CUDA, -1));
        Assert.Equal(DeviceType.CUDA, cuda.type);
        Assert.Equal(0, cuda.index);
        Assert.Equal(3, TorchRuntime.Concrete(new Device(DeviceType.CUDA, 3)).index);
        var cpu = TorchRuntime.Concrete(CPU);
        Assert.Equal(DeviceType.CPU, cpu.type);
        Assert.Equal(CPU.index, cpu.index);
    }

    [Fact]
    public void TheCpuResolvesToItself() =>
        Assert.Equal(DeviceType.CPU, TorchRuntime.ResolveDevice("cpu").type);

    [Fact]
    public void LoadingAModuleOntoTheDeviceItIsOnKeepsTheOptimisersParameters()
    {
        string folder = Path.Combine(Path.GetTempPath(), "gansharp-concrete-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var module = nn.Linear(3, 2);
            var device = TorchRuntime.ResolveDevice("cpu");
            module.to(device);
            var before = module.parameters().Select(p => p.Handle).ToArray();
            using (var writer = new CheckpointWriter(folder, "test", 1, CheckpointWriter.ToJson(new { }), CheckpointWriter.ToJson(new { })))
            {
                writer.AddModule("m", module);
                writer.Commit();
            }
            CheckpointReader.Open(folder).LoadModule("m", module, device);
            Assert.Equal(before, module.parameters().Select(p => p.Handle).ToArray());
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }
}
