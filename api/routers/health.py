from __future__ import annotations

from fastapi import APIRouter

from api.deps import ComponentsDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz(components: ComponentsDep) -> dict[str, object]:
    """Liveness and what is being served."""
    return {
        "status": "ok",
        "chunks": components.retriever.chunk_count,
        "embedding": components.index.embedding_id,
        "writer": components.writer.name,
    }
