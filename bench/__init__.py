"""Benchmarks (`make bench`): deterministic call counts per operation, and handler
import times as ratios to `import boto3` measured in the same run."""
