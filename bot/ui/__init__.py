"""discord.ui views shared by the cogs."""
