# The asof API. Used by docker-compose.yml (service `api`); Neo4j runs in its own container.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY . .
RUN pip install . \
    && useradd --create-home --uid 10001 asof

USER asof
EXPOSE 8000
CMD ["asof", "serve", "--host", "0.0.0.0", "--port", "8000"]
