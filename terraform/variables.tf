variable "region" {
  description = "AWS region of the cluster (the original system ran in Seoul)."
  type        = string
  default     = "ap-northeast-2"
}

variable "cluster_name" {
  description = "Name of the EKS cluster; also the prefix of the VPC, roles, bucket and repository."
  type        = string
  default     = "catvsnoncat"
}

variable "kubernetes_version" {
  description = "Kubernetes version of the control plane and nodes (1.30 or later: the pods use the preStop sleep action)."
  type        = string
  default     = "1.33"
}

variable "vpc_cidr" {
  description = "Address range of the VPC. k8s/overlays/eks lets the ALB reach the pods from this range (NetworkPolicy)."
  type        = string
  default     = "10.0.0.0/16"
}

variable "api_allowed_cidrs" {
  description = "Addresses allowed to reach the cluster's public API endpoint, e.g. [\"203.0.113.7/32\"] for your own."
  type        = list(string)
}

variable "node_instance_types" {
  description = "Instance types of the managed node group."
  type        = list(string)
  default     = ["t3.medium"]
}

variable "node_min_size" {
  description = "Fewest nodes."
  type        = number
  default     = 2
}

variable "node_max_size" {
  description = "Most nodes."
  type        = number
  default     = 4
}

variable "node_desired_size" {
  description = "Nodes at creation (later changes are ignored by the node group)."
  type        = number
  default     = 2
}

variable "app_namespace" {
  description = "Namespace of the app (k8s/base/namespace.yaml)."
  type        = string
  default     = "catvsnoncat"
}

variable "app_service_account" {
  description = "ServiceAccount of the app (k8s/base/serviceaccount.yaml); the model reader role trusts it alone."
  type        = string
  default     = "catvsnoncat"
}

variable "metrics_server_chart_version" {
  description = "Version of the metrics-server Helm chart (the HorizontalPodAutoscaler reads the pods' CPU use from it)."
  type        = string
  default     = "3.13.0"
}

variable "aws_load_balancer_controller_chart_version" {
  description = "Version of the aws-load-balancer-controller Helm chart."
  type        = string
  default     = "1.14.0"
}
