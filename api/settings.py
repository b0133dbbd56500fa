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
    from asof.extraction.llm import LLMConfig
    from asof.graph.predicates import PredicateRegistry
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
    embedder: Literal["bundled", "static", "openai", "none"] | None = Field(
        default=None, description="embedding model for vector and hybrid search: bundled "
        "(asof[embed]), static (asof[embed-static]: fast, weaker alone), openai (an "
        "OpenAI-compatible endpoint) or none; unset: bundled when installed, else none")
    embed_base_url: str | None = Field(
        default=None, description="OpenAI-compatible API root, e.g. http://localhost:8000/v1")
    embed_model: str | None = Field(default=None, description="model name for that endpoint")
    embed_api_key: SecretStr | None = None
    predicates: Path | None = Field(
        default=None, description="a TOML file of predicates added to the registry")
    extractor: Literal["rules", "llm", "hybrid"] = Field(
        default="rules", description="how messages become facts: the offline rules, a model "
                                     "(ASOF_LLM_*), or the rules then the model")
    llm_base_url: str | None = Field(
        default=None, description="an OpenAI-compatible API root, e.g. http://localhost:11434/v1")
    llm_model: str | None = Field(default=None, description="the model name the server expects")
    llm_api_key: SecretStr | None = None
    llm_response_format: Literal["json_schema", "json_object"] = Field(
        default="json_schema", description="json_schema (OpenAI, vLLM, Ollama) or json_object "
                                           "(llama-cpp-python's server)")
    llm_timeout: float = Field(default=60.0, gt=0, description="seconds per HTTP attempt")
    llm_retries: int = Field(default=2, ge=0, le=10)
    llm_max_tokens: int = Field(default=512, ge=16, le=32_768)
    llm_context_messages: int = Field(default=4, ge=0, le=50)
    llm_cache_dir: Path | None = Field(
        default=None, description="where model answers are cached (default: the user cache "
                                  "directory)")
    llm_cache: bool = Field(default=True, description="ASOF_LLM_CACHE=0 turns the cache off")

    @field_validator("tenant")
    @classmethod
    def _tenant(cls, value: str) -> str:
        return validate_tenant(value)

    @field_validator("read_log", "predicates", "llm_cache_dir", mode="before")
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

    def llm_config(self) -> LLMConfig | None:
        """The model endpoint, when ASOF_LLM_BASE_URL and ASOF_LLM_MODEL are both set."""
        if not self.llm_base_url or not self.llm_model:
            return None
        from asof.extraction.llm import LLMConfig, default_cache_dir

        return LLMConfig(
            base_url=self.llm_base_url, model=self.llm_model,
            api_key=self.llm_api_key.get_secret_value() if self.llm_api_key else None,
            response_format=self.llm_response_format, timeout=self.llm_timeout,
            retries=self.llm_retries, max_tokens=self.llm_max_tokens,
            context_messages=self.llm_context_messages,
            cache_dir=(self.llm_cache_dir or default_cache_dir()) if self.llm_cache else None)

    def registry(self) -> PredicateRegistry | None:
        """The default predicates plus those of ASOF_PREDICATES (None when unset)."""
        if self.predicates is None:
            return None
        from asof.graph.predicates import load_registry

        return load_registry(self.predicates)

    def neo4j_password_text(self) -> str | None:
        return self.neo4j_password.get_secret_value() if self.neo4j_password else None
