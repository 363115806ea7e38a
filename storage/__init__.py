"""SQLModel tables (`models`), repository functions taking a session (`repo`), the engine and
migrations (`db`, `migrations/`). The bottom layer: imports nothing of Rex but its settings."""
