"""Settings: one pydantic-settings class, prefix ``ASOF_``, read only by the CLI and the app
factory (the library itself never reads the environment)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from asof.graph.ids import validate_tenant

if TYPE_CHECKING:
    from asof.query.embedding import Embedder


def default_store_url() -> str:
    """An embedded SQLite file in the user's data directory."""
    return f"sqlite:///{Path(user_data_dir('asof')) / 'memory.db'}"


class Settings(BaseSettings):
    """Configuration from ``ASOF_*`` environment variables (and a ``.env`` file if present)."""

    model_config = SettingsConfigDict(env_prefix="ASOF_", extra="ignore")

    store: str = Field(default_factory=default_store_url,
                       description="sqlite:///path.db, neo4j://host:7687 or bolt://host:7687")
    tenant: str = Field(default="default", description="tenant for CLI commands")
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    audit_key: SecretStr | None = Field(
        default=None, description="when set, audit events are also HMAC-SHA256 signed")
    audit_keys: SecretStr | None = Field(
        default=None, description="earlier audit keys, comma-separated: never used to sign, "
                                  "only to verify the events they signed before a rotation")
    audit_new_key: SecretStr | None = Field(
        default=None, description="the key 'asof audit rotate-key' replaces ASOF_AUDIT_KEY by")
    api_keys: str | None = Field(
        default=None, description="JSON list of {sha256, tenant | role: admin, name}")
    api_keys_file: Path | None = Field(default=None, description="a file holding that JSON")
    actor: str | None = Field(default=None,
                              description="who the CLI's writes and reads are recorded as")
    read_log: Path | None = Field(
        default=None, description="a JSONL file: REST reads are logged there, hash-chained")
    max_message_chars: int = Field(default=20_000, ge=1, le=100_000)
    max_batch: int = Field(default=1_000, ge=1, le=100_000)
    max_body_bytes: int = Field(default=5_000_000, ge=1_000)
    max_file_bytes: int = Field(default=100_000_000, ge=1,
                                description="largest input file the CLI reads")
    assume_tz: str | None = Field(default=None,
                                  description="zone for naive timestamps in input files")
    embedder: Literal["bundled", "openai", "none"] | None = Field(
        default=None, description="embedding model for vector and hybrid search: bundled "
        "(asof[embed]), openai (an OpenAI-compatible endpoint) or none; unset: bundled when "
        "installed, else none")
    embed_base_url: str | None = Field(
        default=None, description="OpenAI-compatible API root, e.g. http://localhost:8000/v1")
    embed_model: str | None = Field(default=None, description="model name for that endpoint")
    embed_api_key: SecretStr | None = None

    @field_validator("tenant")
    @classmethod
    def _tenant(cls, value: str) -> str:
        return validate_tenant(value)

    @field_validator("read_log", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        return None if value == "" else value  # ASOF_READ_LOG= turns the log off, not "."

    def make_embedder(self) -> Embedder | None:
        """The configured embedding model (``None``: lexical search only)."""
        from asof.query.embedding import make_embedder

        return make_embedder(self.embedder, base_url=self.embed_base_url,
                             model=self.embed_model,
                             api_key=self.embed_api_key.get_secret_value()
                             if self.embed_api_key else None)

    def audit_key_bytes(self) -> bytes | None:
        return self.audit_key.get_secret_value().encode() if self.audit_key else None

    def old_audit_keys_bytes(self) -> list[bytes]:
        text = self.audit_keys.get_secret_value() if self.audit_keys else ""
        return [k.strip().encode() for k in text.split(",") if k.strip()]

    def neo4j_password_text(self) -> str | None:
        return self.neo4j_password.get_secret_value() if self.neo4j_password else None
