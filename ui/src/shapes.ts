// Sigma node programs that draw one shape each (circle, square, diamond, triangle, hexagon, pentagon, ring):
// the same triangle-around-a-disc geometry as sigma's circle program, with a signed-distance shape per program.
import { NodeProgram } from 'sigma/rendering';
import type { NodeProgramType, ProgramInfo } from 'sigma/rendering';
import type { NodeDisplayData, RenderParams } from 'sigma/types';
import { floatColor } from 'sigma/utils';
import type { Attributes } from 'graphology-types';
import type { Shape } from './logic/palette.ts';

const VERTEX_SHADER = /* glsl */ `
attribute vec4 a_id;
attribute vec4 a_color;
attribute vec2 a_position;
attribute float a_size;
attribute float a_angle;
attribute float a_pattern;

uniform mat3 u_matrix;
uniform float u_sizeRatio;
uniform float u_correctionRatio;

varying vec4 v_color;
varying vec2 v_offset;
varying float v_radius;
varying float v_pattern;

const float bias = 255.0 / 254.0;

void main() {
  // An equilateral triangle whose inscribed circle has the node's radius: every shape fits inside it.
  float outer = a_size * u_correctionRatio / u_sizeRatio * 4.0;
  vec2 offset = outer * vec2(cos(a_angle), sin(a_angle));
  gl_Position = vec4((u_matrix * vec3(a_position + offset, 1)).xy, 0, 1);
  v_offset = offset;
  v_radius = outer / 2.0;
  v_pattern = a_pattern;
  #ifdef PICKING_MODE
  v_color = a_id;
  #else
  v_color = a_color;
  #endif
  v_color.a *= bias;
}
`;

/** Signed distance (negative inside) from p to a shape of circumradius r, as GLSL. */
const DISTANCE: Record<Shape, string> = {
  circle: 'return length(p) - r;',
  ring: 'return abs(length(p) - r * 0.72) - r * 0.28;',
  square: 'vec2 d = abs(p) - vec2(r * 0.8); return max(d.x, d.y);',
  diamond: 'vec2 q = abs(p); return (q.x + q.y - r) * 0.7071;',
  triangle: 'return polygon(vec2(p.x, -p.y), r * 1.05, 3.0, 1.5707963);',
  pentagon: 'return polygon(vec2(p.x, -p.y), r, 5.0, 1.5707963);',
  hexagon: 'return polygon(p, r, 6.0, 0.0);',
};

function fragmentShader(shape: Shape): string {
  return /* glsl */ `
precision highp float;

varying vec4 v_color;
varying vec2 v_offset;
varying float v_radius;
varying float v_pattern;

uniform float u_correctionRatio;

const vec4 transparent = vec4(0.0, 0.0, 0.0, 0.0);

// Distance to a regular polygon with n sides, circumradius r, first vertex at angle a0.
float polygon(vec2 p, float r, float n, float a0) {
  float sector = 6.2831853 / n;
  float a = atan(p.y, p.x) - a0 + sector / 2.0;
  float local = mod(a, sector) - sector / 2.0;
  return length(p) * cos(local) - r * cos(3.1415927 / n);
}

float shapeDistance(vec2 p, float r) {
  ${DISTANCE[shape]}
}

void main(void) {
  float border = u_correctionRatio * 2.0;
  float dist = shapeDistance(v_offset, v_radius) + border;
  #ifdef PICKING_MODE
  gl_FragColor = dist > border ? transparent : v_color;
  #else
  float t = dist > border ? 1.0 : dist > 0.0 ? dist / border : 0.0;
  // Level patterns (palette.ts): 1 half (left half filled), 2 hollow, 3 hollow with a slash. The hollow part is
  // white inside an outline of the node's colour, so the pattern reads at a few pixels and on any background.
  vec4 color = v_color;
  // dist already carries the antialiased border: the outline is that border plus a fifth of the radius.
  float outline = v_radius * 0.2;
  bool inside = dist < -outline;
  if (v_pattern > 0.5 && inside) {
    bool filled = (v_pattern < 1.5 && v_offset.x < 0.0) || (v_pattern > 2.5 && abs(v_offset.x + v_offset.y) < v_radius * 0.22);
    if (!filled) color = vec4(1.0, 1.0, 1.0, v_color.a);
  }
  gl_FragColor = mix(color, transparent, t);
  #endif
}
`;
}

const { UNSIGNED_BYTE, FLOAT, TRIANGLES } = WebGLRenderingContext;
const UNIFORMS = ['u_sizeRatio', 'u_correctionRatio', 'u_matrix'] as const;

function createShapeProgram(shape: Shape): NodeProgramType {
  const source = fragmentShader(shape);
  return class ShapeProgram extends NodeProgram<(typeof UNIFORMS)[number]> {
    getDefinition() {
      return {
        VERTICES: 3,
        VERTEX_SHADER_SOURCE: VERTEX_SHADER,
        FRAGMENT_SHADER_SOURCE: source,
        METHOD: TRIANGLES,
        UNIFORMS,
        ATTRIBUTES: [
          { name: 'a_position', size: 2, type: FLOAT },
          { name: 'a_size', size: 1, type: FLOAT },
          { name: 'a_color', size: 4, type: UNSIGNED_BYTE, normalized: true },
          { name: 'a_id', size: 4, type: UNSIGNED_BYTE, normalized: true },
          { name: 'a_pattern', size: 1, type: FLOAT },
        ],
        CONSTANT_ATTRIBUTES: [{ name: 'a_angle', size: 1, type: FLOAT }],
        CONSTANT_DATA: [[0], [(2 * Math.PI) / 3], [(4 * Math.PI) / 3]],
      };
    }

    processVisibleItem(nodeIndex: number, startIndex: number, data: NodeDisplayData) {
      const array = this.array;
      array[startIndex++] = data.x;
      array[startIndex++] = data.y;
      array[startIndex++] = data.size;
      array[startIndex++] = floatColor(data.color);
      array[startIndex++] = nodeIndex;
      array[startIndex++] = (data as NodeDisplayData & { pattern?: number }).pattern ?? 0;
    }

    setUniforms(params: RenderParams, { gl, uniformLocations }: ProgramInfo<(typeof UNIFORMS)[number]>) {
      gl.uniform1f(uniformLocations.u_correctionRatio, params.correctionRatio);
      gl.uniform1f(uniformLocations.u_sizeRatio, params.sizeRatio);
      gl.uniformMatrix3fv(uniformLocations.u_matrix, false, params.matrix);
    }
  } as unknown as NodeProgramType;
}

export function shapePrograms<N extends Attributes, E extends Attributes>(shapes: readonly Shape[]): Record<string, NodeProgramType<N, E>> {
  return Object.fromEntries(shapes.map((shape) => [shape, createShapeProgram(shape) as unknown as NodeProgramType<N, E>]));
}
