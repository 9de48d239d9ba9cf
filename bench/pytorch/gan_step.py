"""The DCGAN training step of GanSharp's `GanSharp.Bench gan-step` (DCGAN-28 gray by default), written in PyTorch to time
it side by side on the same machine. Run by bench/pytorch-side-by-side.sh with Debian's python3-torch; never a dependency
of GanSharp. Mirrors GanMethod.TrainStep: one D update (fakes drawn without grad, real and fake scored separately,
non-saturating loss), one G update on fresh z, then the EMA update of a generator copy; Adam(2e-4, 0.5, 0.999).
Prints CSV rows `pytorch,<path>,<seconds per step>` (median), one per oneDNN setting."""
import argparse
import copy
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def dcgan(size, channels, width, latent):
    """Generator and discriminator with GanSharp's DcganConfig layout: start 7 px for 28, else 4 px."""
    start = 7 if size == 28 else 4
    steps = {28: 2, 32: 3, 64: 4}[size]
    chans = [width << (steps - 1 - i) for i in range(steps)] + [channels]
    g_layers = [nn.Linear(latent, chans[0] * start * start, bias=False), nn.Unflatten(1, (chans[0], start, start)),
                nn.BatchNorm2d(chans[0]), nn.ReLU()]
    for i in range(1, steps + 1):
        last = i == steps
        g_layers.append(nn.ConvTranspose2d(chans[i - 1], chans[i], 4, 2, 1, bias=last))
        g_layers += [nn.Tanh()] if last else [nn.BatchNorm2d(chans[i]), nn.ReLU()]
    d_layers, cin = [], channels
    for i in range(steps):
        cout = width << i
        d_layers.append(nn.Conv2d(cin, cout, 4, 2, 1, bias=(i == 0)))
        if i > 0:
            d_layers.append(nn.BatchNorm2d(cout))
        d_layers.append(nn.LeakyReLU(0.2))
        cin = cout
    d_layers += [nn.Flatten(), nn.Linear(cin * start * start, 1)]
    return nn.Sequential(*g_layers), nn.Sequential(*d_layers)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", type=int, default=28)
    p.add_argument("--channels", type=int, default=1)
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--latent", type=int, default=64)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cpu", help="cpu (both oneDNN settings) or cuda (one row; loss.item() per step, as GanSharp logs)")
    p.add_argument("--real", help="optional .npy of real images [N, C, H, W] in [-1, 1] (else uniform noise)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    settings = (("safe", False), ("onednn", True)) if dev.type == "cpu" else ((a.device, None),)
    for path, mkldnn in settings:
        if mkldnn is not None:
            torch.backends.mkldnn.enabled = mkldnn
        torch.manual_seed(1)
        g, d = dcgan(a.size, a.channels, a.width, a.latent)
        g, d = g.to(dev), d.to(dev)
        g_ema = copy.deepcopy(g).requires_grad_(False)
        opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
        opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
        real = (torch.from_numpy(np.load(a.real))[: a.batch] if a.real else torch.rand(a.batch, a.channels, a.size, a.size) * 2 - 1).to(dev)
        times = []
        for step in range(a.steps + 2):
            t0 = time.perf_counter()
            opt_d.zero_grad()
            with torch.no_grad():
                fake = g(torch.randn(a.batch, a.latent).to(dev))
            loss_d = F.softplus(-d(real)).mean() + F.softplus(d(fake)).mean()
            loss_d.backward()
            opt_d.step()
            opt_g.zero_grad()
            loss_g = F.softplus(-d(g(torch.randn(a.batch, a.latent).to(dev)))).mean()
            loss_g.backward()
            opt_g.step()
            with torch.no_grad():
                beta = min(0.999, (1 + step) / (10 + step))
                for pe, pg in zip(g_ema.parameters(), g.parameters()):
                    pe.lerp_(pg, 1 - beta)
            loss_d.item(), loss_g.item()  # GanSharp logs both every step; this also waits for the GPU
            if step >= 2:
                times.append(time.perf_counter() - t0)
        print(f"pytorch,{path},{float(np.median(times)):.4f}")


if __name__ == "__main__":
    main()
