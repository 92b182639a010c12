from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark commands only (bench_generate, bench_prepare, bench_report): no models."""

    name = "bench"
    verbose_name = "Banc d'essai"
