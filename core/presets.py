"""GPU model presets and the default scenario (the reference deal).

Sources, per figure (public, 2024-2026; see DOMAIN.md "Reference figures"):

- IT power per GPU (kW): the GPU plus its share of the server, network and
  storage, before PUE.  Derived from SemiAnalysis InferenceX all-in utility
  kW per GPU (H100 1.73, H200 1.73, B200 2.17, GB200 2.10, GB300 2.10)
  divided by their facility overhead of about 1.24, which the default PUE
  keeps.  Cross-check: 8-GPU H100 server 10.2 kW -> 1.28 kW/GPU before
  network; 8-GPU B200 server 14.3 kW -> 1.79; NVL72 rack ~120 kW -> 1.67.
- Dense BF16 TFLOPS: Nvidia data sheets (H100/H200 SXM 989; B200 2,250;
  GB200 2,500 per GPU; GB300 2,500 per GPU).
- HBM GB: Nvidia data sheets (H100 80; H200 141; B200 192; GB200 192;
  GB300 288).
- All-in capex per GPU (server share, network, storage; no building):
  H100 about $25-30k per GPU bought alone, $300-400k per 8-GPU server,
  so about $40k all-in; H200 $27.5-32k per GPU, about $45k all-in;
  B200 estimated $55k all-in; GB200 NVL72 rack $3.0-3.4M compute only
  (about $44k per GPU) plus network and storage, about $60k; GB300 NVL72
  about $3.5M per rack, about $65k all-in.  Epoch AI's Colossus 1 estimate
  ($7.8B compute for ~230k GPUs, about $34k per GPU) is a lower bound.
- Inference tokens/s per GPU, reference model Llama-2-70B, MLPerf
  Inference v4.1 offline: H100 about 2,675 (FP8); H200 about 4,016 (FP8);
  B200 about 11,264 (FP4).  GB200 (12,000, FP4) and GB300 (15,000, FP4) are
  estimates scaled from B200 for the NVL72 domain and Blackwell Ultra;
  change them when MLPerf results for the same model are at hand.  Each
  preset's precision and source are in `TOKENS_PER_S_SOURCES`.  Mixed
  precisions make the throughput weighting of H100-equivalents favour the
  FP4 parts: that is what they serve, and the figure says which weighting
  it uses.
"""
from __future__ import annotations

import datetime as dt

from core.parameters import (ClusterHardware, ContractTerms, GpuModel, Projections,
                             Scenario, Tranche)

GPU_PRESETS: dict[str, GpuModel] = {
    m.name: m for m in (
        GpuModel("H100 SXM", it_kw_per_gpu=1.40, bf16_dense_tflops=989, hbm_gb=80,
                 capex_per_gpu=40_000, tokens_per_s=2_675),
        GpuModel("H200", it_kw_per_gpu=1.40, bf16_dense_tflops=989, hbm_gb=141,
                 capex_per_gpu=45_000, tokens_per_s=4_016),
        GpuModel("B200", it_kw_per_gpu=1.75, bf16_dense_tflops=2_250, hbm_gb=192,
                 capex_per_gpu=55_000, tokens_per_s=11_264),
        GpuModel("GB200", it_kw_per_gpu=1.70, bf16_dense_tflops=2_500, hbm_gb=192,
                 capex_per_gpu=60_000, tokens_per_s=12_000),
        GpuModel("GB300", it_kw_per_gpu=1.70, bf16_dense_tflops=2_500, hbm_gb=288,
                 capex_per_gpu=65_000, tokens_per_s=15_000),
    )
}

# The precision and source of each preset's inference throughput (tokens/s).
TOKENS_PER_S_SOURCES: dict[str, tuple[str, str]] = {
    "H100 SXM": ("FP8", "MLPerf Inference v4.1, Llama-2-70B offline, per GPU (measured)"),
    "H200": ("FP8", "MLPerf Inference v4.1, Llama-2-70B offline, per GPU (measured)"),
    "B200": ("FP4", "MLPerf Inference v4.1, Llama-2-70B offline, per GPU (preview, measured)"),
    "GB200": ("FP4", "estimate: B200's MLPerf v4.1 figure scaled for the NVL72 domain"),
    "GB300": ("FP4", "estimate: B200's MLPerf v4.1 figure scaled for Blackwell Ultra"),
}

DEAL_START = dt.date(2026, 6, 1)

# The reference deal's fleet: 220,000 GPUs, all online at the start.  Colossus 1
# has been tracked as 150k H100 + 50k H200; the rest comes from Colossus 2.
REFERENCE_TRANCHES: tuple[Tranche, ...] = (
    Tranche("Colossus 1 (H100)", "Memphis, TN", "H100 SXM", 150_000, DEAL_START),
    Tranche("Colossus 1 (H200)", "Memphis, TN", "H200", 50_000, DEAL_START),
    Tranche("Colossus 2 (GB200)", "Memphis, TN", "GB200", 20_000, DEAL_START),
)


def default_scenario() -> Scenario:
    """The reference deal, "Colossus lease 2026" (DOMAIN.md)."""
    return Scenario(
        name="Colossus lease 2026",
        contract=ContractTerms(),
        hardware=ClusterHardware(gpu_models=tuple(GPU_PRESETS.values()),
                                 tranches=REFERENCE_TRANCHES),
        projections=Projections(),
    )
