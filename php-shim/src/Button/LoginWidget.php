<?php
/**
 * The classic widget version of the sign-in button.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Button;

defined( 'ABSPATH' ) || exit;

/**
 * Appearance → Widgets → "WorkOS sign-in".
 */
final class LoginWidget extends \WP_Widget {

	public const ID_BASE = 'workos_login';

	/**
	 * Sets up the widget.
	 */
	public function __construct() {
		parent::__construct(
			self::ID_BASE,
			__( 'WorkOS sign-in', 'workos' ),
			array( 'description' => __( 'A button that signs visitors in through WorkOS.', 'workos' ) )
		);
	}

	/**
	 * Front end.
	 *
	 * @param array $args     Sidebar arguments.
	 * @param array $instance Settings.
	 */
	public function widget( $args, $instance ) {
		$button = LoginButton::render( (string) ( $instance['label'] ?? '' ), '', false );
		if ( '' === $button ) {
			return;
		}
		$title = (string) ( $instance['title'] ?? '' );
		echo $args['before_widget'] ?? ''; // phpcs:ignore WordPress.Security.EscapeOutput
		if ( '' !== $title ) {
			echo ( $args['before_title'] ?? '' ) . esc_html( $title ) . ( $args['after_title'] ?? '' ); // phpcs:ignore WordPress.Security.EscapeOutput
		}
		echo $button; // phpcs:ignore WordPress.Security.EscapeOutput -- escaped by LoginButton::render().
		echo $args['after_widget'] ?? ''; // phpcs:ignore WordPress.Security.EscapeOutput
	}

	/**
	 * Settings form.
	 *
	 * @param array $instance Settings.
	 */
	public function form( $instance ) {
		foreach ( array( 'title' => __( 'Title', 'workos' ), 'label' => __( 'Button label', 'workos' ) ) as $key => $label ) {
			printf(
				'<p><label for="%1$s">%2$s</label><input class="widefat" id="%1$s" name="%3$s" type="text" value="%4$s" /></p>',
				esc_attr( $this->get_field_id( $key ) ),
				esc_html( $label ),
				esc_attr( $this->get_field_name( $key ) ),
				esc_attr( (string) ( $instance[ $key ] ?? '' ) )
			);
		}
		return '';
	}

	/**
	 * Saves settings.
	 *
	 * @param array $new_instance New settings.
	 * @param array $old_instance Old settings.
	 */
	public function update( $new_instance, $old_instance ) {
		return array(
			'title' => sanitize_text_field( (string) ( $new_instance['title'] ?? '' ) ),
			'label' => sanitize_text_field( (string) ( $new_instance['label'] ?? '' ) ),
		);
	}
}
