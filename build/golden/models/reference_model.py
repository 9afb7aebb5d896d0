"""Independent plain-PyTorch reference implementation of Hugging Face decoder-only LMs.

Covers the `llama`, `mistral`, `qwen2` and `qwen3` model types as implemented by
`transformers` (modeling_llama.py / modeling_mistral.py / modeling_qwen2.py /
modeling_qwen3.py, eager attention path) plus the `default` and `llama3` RoPE
initialisations of modeling_rope_utils.py.  It is written from scratch (no
`transformers`, no `safetensors` package needed) and is importable:

    from reference_model import load_model_dir, save_model_dir, Decoder, DecoderConfig

Parameter names / state_dict keys are exactly the Hugging Face ones
(`model.embed_tokens.weight`, `model.layers.{i}.self_attn.q_proj.weight`, ...,
`lm_head.weight` only when the embeddings are not tied).

Semantics reproduced (HF eager path):
  * RMSNorm: x.float() * rsqrt(mean(x^2) + eps), cast back to the input dtype,
    then `weight * x`.
  * RoPE: inv_freq = 1 / theta^(arange(0, d, 2) / d) in float32 (d = head_dim),
    optional llama3 frequency rescaling, angles = position * inv_freq in
    float32, emb = cat(angles, angles), rotate_half convention.
  * qwen3: q_norm / k_norm (RMSNorm over head_dim, per head) BEFORE RoPE.
  * GQA via repeat_kv; scores * head_dim^-0.5; additive mask with
    finfo(dtype).min on disallowed (causal or padding) keys; softmax in float32.
  * SwiGLU MLP: down(silu(gate(x)) * up(x)); pre-norm residual blocks; final
    norm; lm_head (or embed_tokens.weight when tie_word_embeddings).
  * Bias layout: llama: q/k/v/o bias iff attention_bias; mistral: none;
    qwen2: q/k/v bias always, o without; qwen3: q/k/v/o bias iff attention_bias.

Position ids: when `position_ids` is None they are derived from the attention
mask as `clamp(cumsum(attention_mask, -1) - 1, min=0)` (left-padding-correct:
the first real token of every row gets position 0).  Without a mask they are
`arange(T)`.
"""

from __future__ import annotations

import json
import math
import os
import struct
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

SUPPORTED_MODEL_TYPES = ("llama", "mistral", "qwen2", "qwen3")

# ----------------------------------------------------------------------------------------------
# safetensors (minimal, format-exact reader / writer)
# ----------------------------------------------------------------------------------------------

_ST_DTYPES = {
    torch.float32: "F32",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int64: "I64",
    torch.int32: "I32",
    torch.float64: "F64",
    torch.uint8: "U8",
    torch.int8: "I8",
    torch.int16: "I16",
    torch.bool: "BOOL",
}
_ST_DTYPES_INV = {v: k for k, v in _ST_DTYPES.items()}


def _tensor_bytes(t: torch.Tensor) -> bytes:
    t = t.detach().cpu().contiguous()
    if t.numel() == 0:
        return b""
    # Reinterpret as raw bytes (host is little-endian; asserted in save_safetensors).
    return t.view(-1).view(torch.uint8).numpy().tobytes() if t.dtype != torch.bool else \
        t.to(torch.uint8).numpy().tobytes()


def save_safetensors(tensors: Dict[str, torch.Tensor], path: str,
                     metadata: Optional[Dict[str, str]] = None) -> None:
    """Write `tensors` in safetensors format.

    Layout: u64 little-endian header length N, N bytes of JSON header (padded with
    spaces to a multiple of 8, like the reference implementation), then the raw
    little-endian tensor data, contiguous, in header order (sorted by name).
    """
    import sys
    assert sys.byteorder == "little"
    names = sorted(tensors)
    header: Dict[str, Any] = {"__metadata__": dict(metadata or {"format": "pt"})}
    blobs: List[bytes] = []
    offset = 0
    for name in names:
        t = tensors[name]
        if t.dtype not in _ST_DTYPES:
            raise ValueError(f"unsupported dtype {t.dtype} for {name}")
        b = _tensor_bytes(t)
        assert len(b) == t.numel() * t.element_size()
        header[name] = {"dtype": _ST_DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for b in blobs:
            f.write(b)


def load_safetensors(path: str) -> Dict[str, torch.Tensor]:
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    out: Dict[str, torch.Tensor] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _ST_DTYPES_INV[info["dtype"]]
        begin, end = info["data_offsets"]
        shape = info["shape"]
        buf = bytearray(data[base + begin: base + end])
        if dtype == torch.bool:
            t = torch.frombuffer(buf, dtype=torch.uint8).to(torch.bool) if len(buf) else torch.empty(0, dtype=dtype)
        elif len(buf) == 0:
            t = torch.empty(0, dtype=dtype)
        else:
            t = torch.frombuffer(buf, dtype=dtype)
        out[name] = t.reshape(shape).clone()
    return out


# ----------------------------------------------------------------------------------------------
# Config
# ----------------------------------------------------------------------------------------------

_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


@dataclass
class DecoderConfig:
    model_type: str
    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    head_dim: int
    rms_norm_eps: float
    rope_theta: float
    max_position_embeddings: int
    tie_word_embeddings: bool
    rope_scaling: Optional[Dict[str, Any]] = None
    qkv_bias: bool = False
    o_bias: bool = False
    qk_norm: bool = False
    hidden_act: str = "silu"
    torch_dtype: str = "float32"
    sliding_window: Optional[int] = None  # effective sliding window (None = full attention)
    bos_token_id: Optional[int] = None
    eos_token_id: Union[None, int, List[int]] = None
    pad_token_id: Optional[int] = None
    raw: Dict[str, Any] = field(default_factory=dict)  # the config.json dict, verbatim

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "DecoderConfig":
        mt = d["model_type"]
        if mt not in SUPPORTED_MODEL_TYPES:
            raise ValueError(f"unsupported model_type {mt!r}")
        heads = d["num_attention_heads"]
        head_dim = d.get("head_dim") or d["hidden_size"] // heads
        attention_bias = bool(d.get("attention_bias", False))
        if mt == "llama":
            qkv_bias, o_bias, qk_norm = attention_bias, attention_bias, False
        elif mt == "mistral":
            qkv_bias, o_bias, qk_norm = False, False, False
        elif mt == "qwen2":
            qkv_bias, o_bias, qk_norm = True, False, False
        else:  # qwen3
            qkv_bias, o_bias, qk_norm = attention_bias, attention_bias, True
        if mt == "mistral":
            sliding = d.get("sliding_window")
        else:
            sliding = d.get("sliding_window") if d.get("use_sliding_window", False) else None
        rs = d.get("rope_scaling")
        if rs is not None:
            rt = rs.get("rope_type", rs.get("type", "default"))
            if rt not in ("default", "llama3"):
                raise NotImplementedError(f"rope_type {rt!r}")
        return cls(
            model_type=mt,
            vocab_size=d["vocab_size"],
            hidden_size=d["hidden_size"],
            intermediate_size=d["intermediate_size"],
            num_hidden_layers=d["num_hidden_layers"],
            num_attention_heads=heads,
            num_key_value_heads=d.get("num_key_value_heads") or heads,
            head_dim=head_dim,
            rms_norm_eps=d.get("rms_norm_eps", 1e-6),
            rope_theta=float(d.get("rope_theta", 10000.0)),
            max_position_embeddings=d.get("max_position_embeddings", 2048),
            tie_word_embeddings=bool(d.get("tie_word_embeddings", False)),
            rope_scaling=rs,
            qkv_bias=qkv_bias,
            o_bias=o_bias,
            qk_norm=qk_norm,
            hidden_act=d.get("hidden_act", "silu"),
            torch_dtype=d.get("torch_dtype") or d.get("dtype") or "float32",
            sliding_window=sliding,
            bos_token_id=d.get("bos_token_id"),
            eos_token_id=d.get("eos_token_id"),
            pad_token_id=d.get("pad_token_id"),
            raw=dict(d),
        )

    @classmethod
    def from_json_file(cls, path: str) -> "DecoderConfig":
        with open(path, "r", encoding="utf-8") as f:
            return cls.from_dict(json.load(f))

    @property
    def eos_token_ids(self) -> List[int]:
        e = self.eos_token_id
        if e is None:
            return []
        return list(e) if isinstance(e, (list, tuple)) else [int(e)]


# ----------------------------------------------------------------------------------------------
# Building blocks
# ----------------------------------------------------------------------------------------------

def compute_inv_freq(config: DecoderConfig) -> torch.Tensor:
    """modeling_rope_utils: `default` and `llama3` rope types (attention_factor is 1.0 for both)."""
    dim = config.head_dim
    base = config.rope_theta
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    rs = config.rope_scaling
    rope_type = "default" if rs is None else rs.get("rope_type", rs.get("type", "default"))
    if rope_type == "default":
        return inv_freq
    if rope_type != "llama3":
        raise NotImplementedError(rope_type)
    factor = rs["factor"]
    low_freq_factor = rs["low_freq_factor"]
    high_freq_factor = rs["high_freq_factor"]
    old_context_len = rs["original_max_position_embeddings"]
    low_freq_wavelen = old_context_len / low_freq_factor
    high_freq_wavelen = old_context_len / high_freq_factor
    wavelen = 2 * math.pi / inv_freq
    # long wavelengths (low frequencies): divide by factor; short ones: unchanged
    inv_freq_llama = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    # in between: interpolate smoothly
    smooth = (old_context_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
    smoothed = (1 - smooth) * inv_freq_llama / factor + smooth * inv_freq_llama
    is_medium = (wavelen >= high_freq_wavelen) & (wavelen <= low_freq_wavelen)
    return torch.where(is_medium, smoothed, inv_freq_llama)


def position_ids_from_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """clamp(cumsum(mask) - 1, min=0): real tokens get 0..len-1 whatever the padding side."""
    return (attention_mask.long().cumsum(-1) - 1).clamp(min=0)


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def repeat_kv(x: torch.Tensor, n_rep: int) -> torch.Tensor:
    b, kvh, t, d = x.shape
    if n_rep == 1:
        return x
    return x[:, :, None, :, :].expand(b, kvh, n_rep, t, d).reshape(b, kvh * n_rep, t, d)


class RMSNorm(nn.Module):
    def __init__(self, size: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.variance_epsilon = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        in_dtype = x.dtype
        h = x.to(torch.float32)
        var = h.pow(2).mean(-1, keepdim=True)
        h = h * torch.rsqrt(var + self.variance_epsilon)
        return self.weight * h.to(in_dtype)


class RotaryEmbedding(nn.Module):
    def __init__(self, config: DecoderConfig):
        super().__init__()
        self.register_buffer("inv_freq", compute_inv_freq(config), persistent=False)
        self.attention_scaling = 1.0

    @torch.no_grad()
    def forward(self, x: torch.Tensor, position_ids: torch.Tensor):
        inv = self.inv_freq[None, :, None].float().expand(position_ids.shape[0], -1, 1).to(x.device)
        pos = position_ids[:, None, :].float()
        freqs = (inv @ pos).transpose(1, 2)            # [B, T, d/2]
        emb = torch.cat((freqs, freqs), dim=-1)        # [B, T, d]
        cos = emb.cos() * self.attention_scaling
        sin = emb.sin() * self.attention_scaling
        return cos.to(x.dtype), sin.to(x.dtype)


def apply_rotary(q, k, cos, sin):
    cos = cos.unsqueeze(1)
    sin = sin.unsqueeze(1)
    return (q * cos) + (rotate_half(q) * sin), (k * cos) + (rotate_half(k) * sin)


class Attention(nn.Module):
    def __init__(self, config: DecoderConfig):
        super().__init__()
        c = config
        self.head_dim = c.head_dim
        self.num_heads = c.num_attention_heads
        self.num_kv_heads = c.num_key_value_heads
        self.n_rep = c.num_attention_heads // c.num_key_value_heads
        self.scaling = self.head_dim ** -0.5
        self.q_proj = nn.Linear(c.hidden_size, c.num_attention_heads * c.head_dim, bias=c.qkv_bias)
        self.k_proj = nn.Linear(c.hidden_size, c.num_key_value_heads * c.head_dim, bias=c.qkv_bias)
        self.v_proj = nn.Linear(c.hidden_size, c.num_key_value_heads * c.head_dim, bias=c.qkv_bias)
        self.o_proj = nn.Linear(c.num_attention_heads * c.head_dim, c.hidden_size, bias=c.o_bias)
        if c.qk_norm:
            self.q_norm = RMSNorm(c.head_dim, c.rms_norm_eps)
            self.k_norm = RMSNorm(c.head_dim, c.rms_norm_eps)
        else:
            self.q_norm = None
            self.k_norm = None

    def forward(self, x, cos, sin, mask_bias):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, -1, self.head_dim)
        k = self.k_proj(x).view(b, t, -1, self.head_dim)
        v = self.v_proj(x).view(b, t, -1, self.head_dim)
        if self.q_norm is not None:
            q = self.q_norm(q)
            k = self.k_norm(k)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        q, k = apply_rotary(q, k, cos, sin)
        k = repeat_kv(k, self.n_rep)
        v = repeat_kv(v, self.n_rep)
        w = torch.matmul(q, k.transpose(2, 3)) * self.scaling
        if mask_bias is not None:
            w = w + mask_bias
        w = F.softmax(w, dim=-1, dtype=torch.float32).to(q.dtype)
        o = torch.matmul(w, v).transpose(1, 2).contiguous().reshape(b, t, -1)
        return self.o_proj(o)


class MLP(nn.Module):
    def __init__(self, config: DecoderConfig):
        super().__init__()
        if config.hidden_act != "silu":
            raise NotImplementedError(config.hidden_act)
        self.gate_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=False)
        self.up_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=False)
        self.down_proj = nn.Linear(config.intermediate_size, config.hidden_size, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, config: DecoderConfig):
        super().__init__()
        self.self_attn = Attention(config)
        self.mlp = MLP(config)
        self.input_layernorm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.post_attention_layernorm = RMSNorm(config.hidden_size, config.rms_norm_eps)

    def forward(self, x, cos, sin, mask_bias):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask_bias)
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x


class DecoderModel(nn.Module):
    """The `model.` prefix of the HF checkpoint."""

    def __init__(self, config: DecoderConfig):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([DecoderLayer(config) for _ in range(config.num_hidden_layers)])
        self.norm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.rotary_emb = RotaryEmbedding(config)


def build_mask_bias(attention_mask: Optional[torch.Tensor], b: int, t: int, dtype: torch.dtype,
                    device, sliding_window: Optional[int] = None) -> torch.Tensor:
    """Additive [B,1,T,T] mask: 0 where key j is allowed for query i (j <= i and mask[j] == 1), else finfo.min.

    Rows whose keys are all disallowed (queries at left-padding positions) end up with a
    uniform softmax over all keys; their outputs are meaningless (as in HF).
    """
    idx = torch.arange(t, device=device)
    allowed = (idx[None, :] <= idx[:, None])[None, None, :, :].expand(b, 1, t, t)
    if sliding_window is not None and t > sliding_window:
        raise NotImplementedError("sliding-window attention is not implemented in the reference")
    if attention_mask is not None:
        allowed = allowed & attention_mask.bool()[:, None, None, :]
    zero = torch.zeros((), dtype=dtype, device=device)
    neg = torch.full((), torch.finfo(dtype).min, dtype=dtype, device=device)
    return torch.where(allowed, zero, neg)


class Decoder(nn.Module):
    """`*ForCausalLM` equivalent: forward(input_ids, attention_mask, position_ids=None) -> logits [B,T,V] (float32)."""

    def __init__(self, config: DecoderConfig):
        super().__init__()
        self.config = config
        self.model = DecoderModel(config)
        self.lm_head = None if config.tie_word_embeddings else \
            nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def output_weight(self) -> torch.Tensor:
        return self.model.embed_tokens.weight if self.lm_head is None else self.lm_head.weight

    def hidden_states(self, input_ids, attention_mask=None, position_ids=None):
        b, t = input_ids.shape
        if position_ids is None:
            if attention_mask is not None:
                position_ids = position_ids_from_mask(attention_mask)
            else:
                position_ids = torch.arange(t, device=input_ids.device)[None, :].expand(b, t)
        h = self.model.embed_tokens(input_ids)
        cos, sin = self.model.rotary_emb(h, position_ids)
        mask_bias = build_mask_bias(attention_mask, b, t, h.dtype, h.device, self.config.sliding_window)
        for layer in self.model.layers:
            h = layer(h, cos, sin, mask_bias)
        return self.model.norm(h)

    def forward(self, input_ids: torch.Tensor, attention_mask: Optional[torch.Tensor] = None,
                position_ids: Optional[torch.Tensor] = None) -> torch.Tensor:
        h = self.hidden_states(input_ids, attention_mask, position_ids)
        return F.linear(h, self.output_weight()).float()


# ----------------------------------------------------------------------------------------------
# Model directories
# ----------------------------------------------------------------------------------------------

def config_json_text(d: Dict[str, Any]) -> str:
    """Same serialisation as transformers' PretrainedConfig.to_json_string (indent=2, sorted keys)."""
    return json.dumps(d, indent=2, sort_keys=True) + "\n"


def load_model_dir(path: str, dtype: torch.dtype = torch.float32) -> Decoder:
    """Load config.json + model.safetensors; weights are cast to `dtype` (default float32)."""
    config = DecoderConfig.from_json_file(os.path.join(path, "config.json"))
    model = Decoder(config)
    sd = load_safetensors(os.path.join(path, "model.safetensors"))
    sd = {k: v.to(dtype) for k, v in sd.items()}
    missing, unexpected = model.load_state_dict(sd, strict=False)
    if missing or unexpected:
        raise ValueError(f"state_dict mismatch: missing={missing} unexpected={unexpected}")
    model = model.to(dtype).eval()
    # keep the RoPE inverse frequencies in float32 whatever the weight dtype (as HF computes them)
    model.model.rotary_emb.inv_freq = compute_inv_freq(config)
    return model


def save_model_dir(model: Decoder, path: str, dtype: Optional[torch.dtype] = None) -> None:
    """Write config.json (model.config.raw) and model.safetensors (HF names).

    Weights are stored in `dtype`, default: the config's torch_dtype.
    """
    os.makedirs(path, exist_ok=True)
    if dtype is None:
        dtype = _DTYPES[model.config.torch_dtype]
    with open(os.path.join(path, "config.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(config_json_text(model.config.raw))
    sd = {k: v.detach().to(dtype).contiguous() for k, v in model.state_dict().items()}
    save_safetensors(sd, os.path.join(path, "model.safetensors"), {"format": "pt"})
