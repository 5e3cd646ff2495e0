"""What the running bot is made of, apart from the bot class: the host interface that
background work sees, the service registry, and the one place that lists the services."""
