using System.Collections.Concurrent;
using System.Text.Json;
using TorchSharp;

namespace GanSharp.Checkpoints;

/// <summary>
/// How a checkpoint rebuilds its own networks: each method registers a factory that builds a module from the
/// manifest's architecture config. Factories are plain delegates registered by code, never looked up by type name.
/// A factory is registered either for a whole method (<c>dcgan</c>) or for one of its networks
/// (<c>dcgan</c> + <c>discriminator</c>); the more specific one wins.
/// </summary>
public sealed class CheckpointModelRegistry
{
    readonly ConcurrentDictionary<string, Func<JsonElement, torch.nn.Module>> factories = new(StringComparer.Ordinal);

    /// <summary>The process-wide registry that methods register into.</summary>
    public static CheckpointModelRegistry Default { get; } = new();

    /// <summary>Registers (or replaces) the factory of <paramref name="method"/>, optionally for one named network.</summary>
    public void Register(string method, Func<JsonElement, torch.nn.Module> factory, string? module = null)
    {
        CheckpointLayout.ValidateName(method, "method");
        if (module != null) CheckpointLayout.ValidateName(module, "module");
        ArgumentNullException.ThrowIfNull(factory);
        factories[Key(method, module)] = factory;
    }

    /// <summary>Finds the factory for <paramref name="module"/> of <paramref name="method"/>, falling back to the method's own.</summary>
    public bool TryGet(string method, string? module, out Func<JsonElement, torch.nn.Module> factory)
    {
        if (module != null && factories.TryGetValue(Key(method, module), out factory!)) return true;
        return factories.TryGetValue(Key(method, null), out factory!);
    }

    /// <summary>Builds network <paramref name="module"/> from the manifest's architecture config (weights not loaded).</summary>
    public torch.nn.Module Build(CheckpointManifest manifest, string? module = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!TryGet(manifest.Method, module, out var factory))
            throw new GanSharpException(
                $"no model factory registered for method '{manifest.Method}'" + (module != null ? $" (network '{module}')" : ""),
                "the method must call CheckpointModelRegistry.Register before its checkpoints can be loaded");
        return factory(manifest.Architecture);
    }

    static string Key(string method, string? module) => module == null ? method : method + "/" + module;
}
