"""The coach that plans: catch-up plans and reward roles (models and the Discord side)."""
