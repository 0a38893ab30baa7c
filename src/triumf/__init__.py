"""triumf: a physics-based, batched simulator of S-400-class layered air and missile defence."""

__version__ = "0.1.0"
