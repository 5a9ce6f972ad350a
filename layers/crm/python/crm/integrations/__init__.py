"""Adapters to the AWS services beside DynamoDB: Cognito, EventBridge, SES. Each takes
an injectable boto3 client, checks failures, and speaks in domain terms."""
