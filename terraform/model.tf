################################################################################
# The model the app serves (k8s/components/model-from-s3): a private bucket and a role only the app's
# ServiceAccount can assume (IRSA), allowed to read that bucket and nothing else
################################################################################

resource "aws_s3_bucket" "models" {
  bucket = "${var.cluster_name}-models-${data.aws_caller_identity.current.account_id}"

  # terraform destroy removes the models with the bucket; they are build outputs, kept in git or CI artifacts.
  force_destroy = true

  tags = local.tags
}

resource "aws_s3_bucket_public_access_block" "models" {
  bucket = aws_s3_bucket.models.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "models" {
  bucket = aws_s3_bucket.models.id

  # An overwritten model can be restored.
  versioning_configuration {
    status = "Enabled"
  }
}

data "aws_iam_policy_document" "model_reader_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [module.eks.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${module.eks.oidc_provider}:sub"
      values   = ["system:serviceaccount:${var.app_namespace}:${var.app_service_account}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${module.eks.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "model_reader" {
  name               = "${var.cluster_name}-model-reader"
  assume_role_policy = data.aws_iam_policy_document.model_reader_trust.json

  tags = local.tags
}

data "aws_iam_policy_document" "model_read" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.models.arn}/*"]
  }
}

resource "aws_iam_role_policy" "model_read" {
  name   = "read-models"
  role   = aws_iam_role.model_reader.id
  policy = data.aws_iam_policy_document.model_read.json
}
