from django.apps import AppConfig


class ChannelsRefConfig(AppConfig):
    name = "channels_ref"
    verbose_name = "Channels reference"
