// k8s-validate reads the multi-document YAML that `kustomize build` prints and decodes every object strictly into the
// Kubernetes API type of its apiVersion/kind: an unknown or misspelt field, a wrong type, a malformed quantity or an
// unsupported kind is an error. It prints one JSON line per object ({"kind","name","error"}) and exits 1 on any error.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/util/yaml"
	sigyaml "sigs.k8s.io/yaml"
)

// The kinds the manifests use; anything else is reported rather than silently accepted.
var kinds = map[string]func() any{
	"v1/Namespace":                           func() any { return &corev1.Namespace{} },
	"v1/ConfigMap":                           func() any { return &corev1.ConfigMap{} },
	"v1/Secret":                              func() any { return &corev1.Secret{} },
	"v1/Service":                             func() any { return &corev1.Service{} },
	"v1/ServiceAccount":                      func() any { return &corev1.ServiceAccount{} },
	"apps/v1/Deployment":                     func() any { return &appsv1.Deployment{} },
	"apps/v1/StatefulSet":                    func() any { return &appsv1.StatefulSet{} },
	"batch/v1/Job":                           func() any { return &batchv1.Job{} },
	"autoscaling/v2/HorizontalPodAutoscaler": func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"policy/v1/PodDisruptionBudget":          func() any { return &policyv1.PodDisruptionBudget{} },
	"networking.k8s.io/v1/Ingress":           func() any { return &networkingv1.Ingress{} },
	"networking.k8s.io/v1/IngressClass":      func() any { return &networkingv1.IngressClass{} },
	"networking.k8s.io/v1/NetworkPolicy":     func() any { return &networkingv1.NetworkPolicy{} },
}

type result struct {
	Kind  string `json:"kind"`
	Name  string `json:"name"`
	Error string `json:"error,omitempty"`
}

func check(doc []byte) result {
	var meta struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(doc, &meta); err != nil {
		return result{Error: err.Error()}
	}
	r := result{Kind: meta.Kind, Name: meta.Metadata.Name}
	newObject, ok := kinds[meta.APIVersion+"/"+meta.Kind]
	if !ok {
		r.Error = "unsupported apiVersion/kind " + meta.APIVersion + "/" + meta.Kind
		return r
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(newObject()); err != nil {
		r.Error = err.Error()
	}
	return r
}

func main() {
	reader := yaml.NewYAMLReader(bufio.NewReader(os.Stdin))
	failed := false
	out := json.NewEncoder(os.Stdout)
	for {
		raw, err := reader.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		doc, err := sigyaml.YAMLToJSON(raw)
		r := result{}
		if err != nil {
			r.Error = err.Error()
		} else {
			r = check(doc)
		}
		failed = failed || r.Error != ""
		_ = out.Encode(r)
	}
	if failed {
		os.Exit(1)
	}
}
