from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import ComponentsDep

router = APIRouter(prefix="/v1", tags=["feedback"])


class FeedbackRequest(BaseModel):
    message_id: str = Field(max_length=64)
    rating: int = Field(ge=1, le=5)
    comment: str | None = Field(None, max_length=2000)


class FeedbackResponse(BaseModel):
    id: str


@router.post("/feedback", response_model=FeedbackResponse, status_code=201)
async def feedback(body: FeedbackRequest, components: ComponentsDep) -> FeedbackResponse:
    """A client's rating (1–5) of a reply; the store masks the comment before storing it."""
    feedback_id = await run_in_threadpool(
        components.conversations.add_feedback, body.message_id, body.rating, body.comment
    )
    return FeedbackResponse(id=feedback_id)
